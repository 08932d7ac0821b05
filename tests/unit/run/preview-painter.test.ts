import { describe, expect, it } from 'vitest';
import { PreviewPainter, type PainterDeps, type PreviewBitmap } from '../../../src/lib/components/run/preview-painter';

class FakeBitmap implements PreviewBitmap {
	closed = false;
	constructor(readonly width: number, readonly height: number, readonly bytes: number) {}
	close(): void {
		this.closed = true;
	}
}

/** A decoder that really reads the blob (so a frame's bytes reach the canvas) and a manual frame clock. */
function harness() {
	const made: FakeBitmap[] = [];
	const frames: (() => void)[] = [];
	const deps: PainterDeps<FakeBitmap> = {
		async decode(blob) {
			const bytes = new Uint8Array(await blob.arrayBuffer());
			if (bytes[0] === 0xff) throw new Error('corrupt');
			const bitmap = new FakeBitmap(64, 48, bytes[0]);
			made.push(bitmap);
			return bitmap;
		},
		schedule(paint) {
			frames.push(paint);
			return frames.length;
		},
		cancel(handle) {
			frames[handle - 1] = () => undefined;
		}
	};
	const drawn: number[] = [];
	const sut = new PreviewPainter<FakeBitmap>((b) => drawn.push(b.bytes), deps);
	const tick = () => frames.splice(0).forEach((paint) => paint());
	const settle = () => new Promise((r) => setTimeout(r, 0));
	return { sut, made, drawn, tick, settle };
}

const frame = (n: number) => ({ image: new Uint8Array([n, 1, 2, 3]), mime: 'image/jpeg' });

describe('PreviewPainter', () => {
	it('draws the newest frame once per display frame and closes every bitmap', async () => {
		const { sut, made, drawn, tick, settle } = harness();
		sut.push(frame(1));
		await settle();
		tick();
		sut.push(frame(2));
		await settle();
		tick();
		expect(drawn).toEqual([1, 2]);
		expect(made.every((b) => b.closed)).toBe(true);
	});

	it('keeps up with a flood of frames by decoding only the latest and never holding more than two bitmaps', async () => {
		const { sut, made, drawn, tick, settle } = harness();
		for (let i = 0; i < 3000; i++) {
			sut.push(frame(i % 200));
			if (i % 10 === 0) await settle();
			if (i % 40 === 0) tick();
			expect(made.filter((b) => !b.closed).length).toBeLessThanOrEqual(2);
		}
		await settle();
		await settle();
		tick();
		expect(sut.stats.received).toBe(3000);
		expect(sut.stats.decoded).toBeLessThan(3000);
		expect(drawn.at(-1)).toBe(2999 % 200);
		expect(made.every((b) => b.closed)).toBe(true);
	});

	it('skips a frame that cannot be decoded and shows the next one', async () => {
		const { sut, drawn, tick, settle } = harness();
		sut.push(frame(0xff));
		await settle();
		sut.push(frame(7));
		await settle();
		await settle();
		tick();
		expect(sut.stats.failed).toBe(1);
		expect(drawn).toEqual([7]);
	});

	it('closes a bitmap that finishes decoding after dispose and draws nothing more', async () => {
		const { sut, made, drawn, tick, settle } = harness();
		sut.push(frame(3));
		sut.dispose();
		await settle();
		tick();
		sut.push(frame(4));
		await settle();
		expect(drawn).toEqual([]);
		expect(made.every((b) => b.closed)).toBe(true);
	});
});
