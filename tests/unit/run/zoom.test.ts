import { describe, expect, it } from 'vitest';
import { clampPan, doubleTap, IDENTITY, MAX_SCALE, pan, pinch, swipeIntent } from '../../../src/lib/components/viewer/zoom';

const box = { width: 400, height: 600 };

describe('viewer zoom', () => {
	it('double tap zooms in keeping the tapped point under the finger, and a second one zooms out', () => {
		const at = { x: 100, y: 200 };
		const sut = doubleTap(IDENTITY, at, box);
		expect(sut.scale).toBe(2.5);
		expect(sut.x + sut.scale * at.x).toBeCloseTo(at.x);
		expect(sut.y + sut.scale * at.y).toBeCloseTo(at.y);
		expect(doubleTap(sut, at, box)).toEqual(IDENTITY);
	});

	it('pinching apart doubles the scale around the midpoint and never passes the limits', () => {
		const mid = { x: 200, y: 300 };
		const sut = pinch(IDENTITY, 100, 200, mid, mid, box);
		expect(sut.scale).toBe(2);
		expect(sut.x + 2 * 200).toBeCloseTo(200);
		expect(pinch(IDENTITY, 100, 10_000, mid, mid, box).scale).toBe(MAX_SCALE);
		expect(pinch(IDENTITY, 100, 10, mid, mid, box)).toEqual(IDENTITY);
	});

	it('panning stops at the picture edges', () => {
		const zoomed = { scale: 2, x: -100, y: -100 };
		expect(pan(zoomed, 500, 500, box)).toEqual({ scale: 2, x: 0, y: 0 });
		expect(pan(zoomed, -5000, -5000, box)).toEqual({ scale: 2, x: -400, y: -600 });
		expect(clampPan({ scale: 0.5, x: 10, y: 10 }, box)).toEqual({ scale: 1, x: 0, y: 0 });
	});
});

describe('swipeIntent', () => {
	it('reads a long or quick horizontal swipe as paging and a long drag down as closing', () => {
		expect(swipeIntent(-150, 10, 500, box)).toBe('next');
		expect(swipeIntent(60, 5, 150, box)).toBe('previous');
		expect(swipeIntent(5, 200, 500, box)).toBe('close');
	});

	it('ignores small or diagonal moves', () => {
		expect(swipeIntent(-30, 2, 500, box)).toBeNull();
		expect(swipeIntent(-100, 90, 500, box)).toBeNull();
		expect(swipeIntent(0, -300, 500, box)).toBeNull();
	});
});
