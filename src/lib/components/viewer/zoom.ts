// Gesture math of the full-screen viewer: pinch and double-tap zoom, panning kept inside the picture, and what
// a one-finger swipe means. Pure, in the element's own pixels, with `transform-origin: 0 0`.

export interface ZoomState {
	scale: number;
	x: number;
	y: number;
}

export interface Size {
	width: number;
	height: number;
}

export interface Point {
	x: number;
	y: number;
}

export const IDENTITY: ZoomState = { scale: 1, x: 0, y: 0 };
export const MAX_SCALE = 6;
export const DOUBLE_TAP_SCALE = 2.5;

function clamp(value: number, min: number, max: number): number {
	return Math.min(max, Math.max(min, value));
}

/** Keeps the zoomed picture covering its box: no empty margins can be dragged into view. */
export function clampPan(state: ZoomState, box: Size): ZoomState {
	const scale = clamp(state.scale, 1, MAX_SCALE);
	return {
		scale,
		x: clamp(state.x, box.width - box.width * scale, 0),
		y: clamp(state.y, box.height - box.height * scale, 0)
	};
}

/** Two fingers: the point under their starting midpoint follows the midpoint, scaled by their spread. */
export function pinch(start: ZoomState, startDistance: number, distance: number, startMid: Point, mid: Point, box: Size): ZoomState {
	const scale = clamp(start.scale * (distance / Math.max(1, startDistance)), 1, MAX_SCALE);
	const local = { x: (startMid.x - start.x) / start.scale, y: (startMid.y - start.y) / start.scale };
	return clampPan({ scale, x: mid.x - scale * local.x, y: mid.y - scale * local.y }, box);
}

export function pan(start: ZoomState, dx: number, dy: number, box: Size): ZoomState {
	return clampPan({ ...start, x: start.x + dx, y: start.y + dy }, box);
}

/** Double tap: zoom in on the tapped point, or back out when already zoomed. */
export function doubleTap(state: ZoomState, at: Point, box: Size): ZoomState {
	if (state.scale > 1) return IDENTITY;
	const s = DOUBLE_TAP_SCALE;
	return clampPan({ scale: s, x: at.x * (1 - s), y: at.y * (1 - s) }, box);
}

export type SwipeIntent = 'next' | 'previous' | 'close' | null;

/** A mostly horizontal swipe of a fifth of the width (or a quick flick) pages; a long drag down closes. */
export function swipeIntent(dx: number, dy: number, ms: number, box: Size): SwipeIntent {
	const fast = ms < 300 && Math.hypot(dx, dy) > 40;
	if (Math.abs(dx) > Math.abs(dy) * 1.5) {
		if (Math.abs(dx) > box.width / 5 || fast) return dx < 0 ? 'next' : 'previous';
		return null;
	}
	if (dy > Math.abs(dx) * 1.5 && (dy > box.height / 4 || (fast && dy > 60))) return 'close';
	return null;
}

export function toTransform(state: ZoomState): string {
	return `translate(${state.x}px, ${state.y}px) scale(${state.scale})`;
}
