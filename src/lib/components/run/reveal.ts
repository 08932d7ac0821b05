// Keeping the live section in the user's sight: scrolling to it (smoothly unless they asked for less motion) and
// knowing whether it is on screen, so the Generate bar can carry a compact copy only when it is not.

/** Smooth scrolling, or an instant jump under prefers-reduced-motion. */
export function scrollBehavior(): ScrollBehavior {
	return window.matchMedia('(prefers-reduced-motion: reduce)').matches ? 'auto' : 'smooth';
}

/**
 * Scrolls the element into view. `nearest` moves the least (nothing when it is fully visible); `center` suits a
 * field, which `nearest` could leave under the sticky Generate bar.
 */
export function reveal(element: Element | null | undefined, block: ScrollLogicalPosition = 'nearest'): void {
	element?.scrollIntoView({ behavior: scrollBehavior(), block });
}

/**
 * Calls back with true while at least `ratio` of the element is inside the viewport, false otherwise.
 * Returns the function that stops watching.
 */
export function watchVisible(element: Element, onchange: (visible: boolean) => void, ratio = 0.5): () => void {
	const observer = new IntersectionObserver(
		(entries) => {
			const entry = entries.at(-1);
			if (entry) onchange(entry.isIntersecting && entry.intersectionRatio >= ratio);
		},
		{ threshold: [0, ratio, 1] }
	);
	observer.observe(element);
	return () => observer.disconnect();
}
