import { describe, expect, it } from 'vitest';
import { brushInImagePixels, hasMask, paintStroke, toImagePoint, type MaskPainter } from '../../../src/lib/components/mask/mask-strokes';

function recorder() {
	const calls: string[] = [];
	const ctx: MaskPainter = {
		lineWidth: 0,
		lineCap: 'butt',
		lineJoin: 'miter',
		beginPath: () => calls.push('begin'),
		arc: (x, y, r) => calls.push(`arc ${x},${y} r${r}`),
		moveTo: (x, y) => calls.push(`move ${x},${y}`),
		lineTo: (x, y) => calls.push(`line ${x},${y}`),
		stroke: () => calls.push('stroke'),
		fill: () => calls.push('fill')
	};
	return { ctx, calls };
}

describe('mask strokes', () => {
	const box = { left: 10, top: 20, width: 200, height: 100 };

	it('maps a touch on the shown canvas to the picture’s own pixels, clamped to the picture', () => {
		expect(toImagePoint(110, 70, box, 1024, 512)).toEqual({ x: 512, y: 256 });
		expect(toImagePoint(-50, 500, box, 1024, 512)).toEqual({ x: 0, y: 512 });
	});

	it('scales the brush with the picture so it feels the same at any display size', () => {
		expect(brushInImagePixels(10, box, 1000)).toBe(50);
	});

	it('draws a tap as a dot and a drag as a round line of the brush width', () => {
		const dot = recorder();
		paintStroke(dot.ctx, { radius: 5, points: [{ x: 1, y: 2 }] });
		expect(dot.calls).toEqual(['begin', 'arc 1,2 r5', 'fill']);
		const line = recorder();
		paintStroke(line.ctx, { radius: 5, points: [{ x: 1, y: 2 }, { x: 3, y: 4 }] });
		expect(line.calls).toEqual(['begin', 'move 1,2', 'line 3,4', 'stroke']);
		expect([line.ctx.lineWidth, line.ctx.lineCap]).toEqual([10, 'round']);
	});

	it('knows when nothing has been drawn', () => {
		expect(hasMask([])).toBe(false);
		expect(hasMask([{ radius: 3, points: [] }])).toBe(false);
		expect(hasMask([{ radius: 3, points: [{ x: 0, y: 0 }] }])).toBe(true);
	});
});
