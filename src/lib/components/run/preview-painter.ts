// Paints live sampler previews onto a canvas. Frames can arrive at ~75/s; decoding happens off the main thread
// (createImageBitmap) and only the newest frame is ever decoded or held, so memory stays flat and the display
// shows the latest step at the screen's own rate. Every bitmap is closed once drawn or superseded.

export interface PreviewBitmap {
	readonly width: number;
	readonly height: number;
	close(): void;
}

export interface PainterDeps<B extends PreviewBitmap> {
	decode(blob: Blob): Promise<B>;
	schedule(paint: () => void): number;
	cancel(handle: number): void;
}

export interface PreviewFrame {
	image: Uint8Array;
	mime: string;
}

export interface PainterStats {
	received: number;
	decoded: number;
	drawn: number;
	failed: number;
}

export class PreviewPainter<B extends PreviewBitmap = ImageBitmap> {
	#draw: (bitmap: B) => void;
	#deps: PainterDeps<B>;
	#waiting: PreviewFrame | null = null;
	#decoding = false;
	#ready: B | null = null;
	#scheduled: number | null = null;
	#disposed = false;
	readonly stats: PainterStats = { received: 0, decoded: 0, drawn: 0, failed: 0 };

	constructor(draw: (bitmap: B) => void, deps: PainterDeps<B>) {
		this.#draw = draw;
		this.#deps = deps;
	}

	/** Offers a frame; an older frame still waiting for the decoder is dropped in its favour. */
	push(frame: PreviewFrame): void {
		if (this.#disposed) return;
		this.stats.received++;
		this.#waiting = frame;
		this.#pump();
	}

	dispose(): void {
		this.#disposed = true;
		this.#waiting = null;
		if (this.#scheduled !== null) this.#deps.cancel(this.#scheduled);
		this.#scheduled = null;
		this.#ready?.close();
		this.#ready = null;
	}

	#pump(): void {
		if (this.#decoding || !this.#waiting) return;
		const frame = this.#waiting;
		this.#waiting = null;
		this.#decoding = true;
		this.#deps
			.decode(new Blob([frame.image as Uint8Array<ArrayBuffer>], { type: frame.mime }))
			.then((bitmap) => this.#accept(bitmap))
			.catch(() => {
				// A corrupt frame is skipped; the next one replaces it a few milliseconds later.
				this.stats.failed++;
			})
			.finally(() => {
				this.#decoding = false;
				this.#pump();
			});
	}

	#accept(bitmap: B): void {
		this.stats.decoded++;
		if (this.#disposed) {
			bitmap.close();
			return;
		}
		this.#ready?.close();
		this.#ready = bitmap;
		if (this.#scheduled === null) this.#scheduled = this.#deps.schedule(() => this.#paint());
	}

	#paint(): void {
		this.#scheduled = null;
		const bitmap = this.#ready;
		this.#ready = null;
		if (!bitmap) return;
		try {
			this.#draw(bitmap);
			this.stats.drawn++;
		} finally {
			bitmap.close();
		}
	}
}

/** The browser's own decoder and frame clock. */
export function browserPainterDeps(): PainterDeps<ImageBitmap> {
	return {
		decode: (blob) => createImageBitmap(blob),
		schedule: (paint) => requestAnimationFrame(paint),
		cancel: (handle) => cancelAnimationFrame(handle)
	};
}

/** Draws a bitmap to fill the canvas, resizing the backing store only when the frame size changes. */
export function drawToCanvas(canvas: HTMLCanvasElement, bitmap: ImageBitmap): void {
	if (canvas.width !== bitmap.width || canvas.height !== bitmap.height) {
		canvas.width = bitmap.width;
		canvas.height = bitmap.height;
	}
	canvas.getContext('2d')?.drawImage(bitmap, 0, 0);
}

/** Copies what a preview canvas shows into a small one (the live strip's thumbnail), keeping its proportions. */
export function copyScaled(target: HTMLCanvasElement, source: HTMLCanvasElement, longSide = 96): void {
	if (source.width === 0 || source.height === 0) return;
	const scale = longSide / Math.max(source.width, source.height);
	const width = Math.max(1, Math.round(source.width * scale));
	const height = Math.max(1, Math.round(source.height * scale));
	if (target.width !== width || target.height !== height) {
		target.width = width;
		target.height = height;
	}
	target.getContext('2d')?.drawImage(source, 0, 0, width, height);
}
