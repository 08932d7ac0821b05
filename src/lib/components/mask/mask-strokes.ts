// The finger-drawn inpainting mask as data: strokes in image pixels, so the mask keeps full resolution whatever
// size the canvas is shown at, and undo is just dropping the last stroke.

export interface Point {
	x: number;
	y: number;
}

export interface Stroke {
	/** Brush radius in image pixels. */
	radius: number;
	points: Point[];
}

export interface Box {
	left: number;
	top: number;
	width: number;
	height: number;
}

/** A pointer position on the shown canvas, in the image's own pixels (clamped to the image). */
export function toImagePoint(clientX: number, clientY: number, box: Box, imageWidth: number, imageHeight: number): Point {
	const x = ((clientX - box.left) / Math.max(1, box.width)) * imageWidth;
	const y = ((clientY - box.top) / Math.max(1, box.height)) * imageHeight;
	return { x: Math.min(imageWidth, Math.max(0, x)), y: Math.min(imageHeight, Math.max(0, y)) };
}

/** A brush given in shown pixels, as image pixels, so it feels the same at any zoom. */
export function brushInImagePixels(shownRadius: number, box: Box, imageWidth: number): number {
	return Math.max(1, (shownRadius * imageWidth) / Math.max(1, box.width));
}

export interface MaskPainter {
	beginPath(): void;
	arc(x: number, y: number, r: number, start: number, end: number): void;
	moveTo(x: number, y: number): void;
	lineTo(x: number, y: number): void;
	stroke(): void;
	fill(): void;
	lineWidth: number;
	lineCap: CanvasLineCap;
	lineJoin: CanvasLineJoin;
}

/** Draws one stroke: a dot for a tap, a round-capped line for a drag. */
export function paintStroke(ctx: MaskPainter, stroke: Stroke): void {
	const [first, ...rest] = stroke.points;
	if (!first) return;
	if (rest.length === 0) {
		ctx.beginPath();
		ctx.arc(first.x, first.y, stroke.radius, 0, Math.PI * 2);
		ctx.fill();
		return;
	}
	ctx.lineWidth = stroke.radius * 2;
	ctx.lineCap = 'round';
	ctx.lineJoin = 'round';
	ctx.beginPath();
	ctx.moveTo(first.x, first.y);
	for (const p of rest) ctx.lineTo(p.x, p.y);
	ctx.stroke();
}

export function hasMask(strokes: Stroke[]): boolean {
	return strokes.some((s) => s.points.length > 0);
}
