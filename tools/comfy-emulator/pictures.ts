// Deterministic pictures for generated results and PNG previews: a gradient with soft discs whose colours and
// positions come from a hash of the node's inputs, so a new seed gives a visibly different image.
import { createHash } from 'node:crypto';
import type { RgbImage } from './png';

export function hashOf(text: string): string {
	return createHash('sha256').update(text).digest('hex');
}

function rng(seedHex: string): () => number {
	let state = parseInt(seedHex.slice(0, 8), 16) >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

function colour(random: () => number): [number, number, number] {
	return [40 + random() * 200, 40 + random() * 200, 40 + random() * 200];
}

/**
 * A picture for `fingerprint`. `noise` (0…1) mixes in per-pixel noise, which is how the PNG previews look like
 * a sampler converging: the first steps are noisy, the last one is clean.
 */
export function picture(fingerprint: string, width: number, height: number, noise = 0): RgbImage {
	const random = rng(hashOf(fingerprint));
	const [top, bottom] = [colour(random), colour(random)];
	const discs = Array.from({ length: 4 }, () => ({
		x: random() * width,
		y: random() * height,
		r: (0.15 + random() * 0.3) * Math.min(width, height),
		c: colour(random)
	}));
	const grain = rng(hashOf(`${fingerprint}:noise`));
	const acc = new Float32Array(width * height * 3);
	for (let y = 0; y < height; y++) {
		const t = height > 1 ? y / (height - 1) : 0;
		const [r, g, b] = [0, 1, 2].map((c) => top[c] + (bottom[c] - top[c]) * t);
		for (let x = 0, i = y * width * 3; x < width; x++, i += 3) {
			acc[i] = r;
			acc[i + 1] = g;
			acc[i + 2] = b;
		}
	}
	// Each disc only touches its bounding box, which keeps a 1024² picture in the tens of milliseconds.
	for (const d of discs) {
		const [x0, x1] = [Math.max(0, Math.floor(d.x - d.r)), Math.min(width - 1, Math.ceil(d.x + d.r))];
		const [y0, y1] = [Math.max(0, Math.floor(d.y - d.r)), Math.min(height - 1, Math.ceil(d.y + d.r))];
		for (let y = y0; y <= y1; y++) {
			for (let x = x0; x <= x1; x++) {
				const dist = Math.sqrt((x - d.x) ** 2 + (y - d.y) ** 2) / d.r;
				if (dist >= 1) continue;
				const a = (1 - dist) * 0.8;
				const i = (y * width + x) * 3;
				acc[i] += (d.c[0] - acc[i]) * a;
				acc[i + 1] += (d.c[1] - acc[i + 1]) * a;
				acc[i + 2] += (d.c[2] - acc[i + 2]) * a;
			}
		}
	}
	if (noise > 0) {
		for (let i = 0; i < acc.length; i += 3) {
			const n = (grain() - 0.5) * 255 * noise;
			acc[i] += n;
			acc[i + 1] += n;
			acc[i + 2] += n;
		}
	}
	const rgb = new Uint8ClampedArray(acc);
	return { width, height, rgb: new Uint8Array(rgb.buffer) };
}

/** A short chord for audio results: pitches from the fingerprint, a soft attack and a fade-out. */
export function tone(fingerprint: string, seconds: number, sampleRate: number): Int16Array {
	const random = rng(hashOf(fingerprint));
	const base = 110 * 2 ** (Math.floor(random() * 24) / 12);
	const pitches = [1, 1.25, 1.5].map((ratio) => base * ratio);
	const samples = new Int16Array(Math.max(1, Math.round(seconds * sampleRate)));
	for (let i = 0; i < samples.length; i++) {
		const t = i / sampleRate;
		const envelope = Math.min(1, t * 20) * Math.min(1, (seconds - t) * 2);
		const value = pitches.reduce((sum, f) => sum + Math.sin(2 * Math.PI * f * t), 0) / pitches.length;
		samples[i] = Math.round(value * envelope * 0.5 * 32767);
	}
	return samples;
}

/** Fits a size into a square box (the server scales previews to fit --preview-size, 512 by default). */
export function fitInto(width: number, height: number, box: number): { width: number; height: number } {
	const scale = Math.min(1, box / Math.max(width, height));
	return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}
