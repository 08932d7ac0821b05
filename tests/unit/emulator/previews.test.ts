// Preview frames: real images that change from step to step, scaled like the server's (S11: 1024×768 → 512×384),
// and fast enough at stepMs 0 to reproduce the fastest captured stream (S10, ~75 frames/s).
import { afterEach, describe, expect, it } from 'vitest';
import { decodeFrame } from '../../../src/lib/comfy/frames';
import { pngSize } from '../../../tools/comfy-emulator/png';
import { startEmulator, type Emulator } from '../../../tools/comfy-emulator/server';
import { Recorder } from './support/recorder';
import { A, queuePrompt, slowNoise } from './support/scenario';

let sut: Emulator | null = null;
let client: Recorder | null = null;

afterEach(async () => {
	await client?.close();
	await sut?.close();
});

async function previews(options: Parameters<typeof startEmulator>[0], steps: number, extra: Record<string, unknown>) {
	sut = await startEmulator(options);
	client = await Recorder.connect(sut.url, A);
	const id = await queuePrompt(sut.url, slowNoise(steps, 'preview', extra), A);
	await client.waitForDone(id);
	const images = client.images.map((bytes) => decodeFrame(bytes)).flatMap((f) => (f?.type === 'preview' ? [f.image] : []));
	const intervals = client.imageTimes.slice(1).map((t, i) => t - client!.imageTimes[i]).sort((x, y) => x - y);
	// The median interval, so that one scheduling hiccup on a busy test machine does not decide the rate.
	return { images, framesPerSecond: 1000 / Math.max(intervals[intervals.length >> 1] ?? Infinity, 0.001) };
}

describe('preview frames', () => {
	it('JPEG previews are real JPEGs that differ between consecutive steps', async () => {
		const { images } = await previews({ stepMs: 1 }, 4, {});
		expect(images).toHaveLength(4);
		for (const image of images) expect([image[0], image[1]]).toEqual([0xff, 0xd8]);
		for (let i = 1; i < images.length; i++) expect(Buffer.from(images[i]).equals(Buffer.from(images[i - 1]))).toBe(false);
	});

	it('PNG previews of a 1024×768 image are scaled to fit 512 px, as in the S11 capture', async () => {
		const { images } = await previews({ stepMs: 1 }, 2, { width: 1024, height: 768, preview_format: 'PNG' });
		expect(images.map((i) => pngSize(i))).toEqual([
			{ width: 512, height: 384 },
			{ width: 512, height: 384 }
		]);
	});

	it('with stepMs 0 a 30-step run streams faster than the fastest captured rate (S10, ~75 frames/s)', async () => {
		const { images, framesPerSecond } = await previews({ stepMs: 0 }, 30, { width: 512, height: 512 });
		expect(images).toHaveLength(30);
		expect(framesPerSecond).toBeGreaterThan(75);
	});
});
