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
	const rgb = new Uint8ClampedArray(width * height * 3);
	for (let y = 0; y < height; y++) {
		const t = height > 1 ? y / (height - 1) : 0;
		for (let x = 0; x < width; x++) {
			let r = top[0] + (bottom[0] - top[0]) * t;
			let g = top[1] + (bottom[1] - top[1]) * t;
			let b = top[2] + (bottom[2] - top[2]) * t;
			for (const d of discs) {
				const dist = Math.hypot(x - d.x, y - d.y) / d.r;
				if (dist < 1) {
					const a = (1 - dist) * 0.8;
					r += (d.c[0] - r) * a;
					g += (d.c[1] - g) * a;
					b += (d.c[2] - b) * a;
				}
			}
			if (noise > 0) {
				const n = (grain() - 0.5) * 255 * noise;
				r += n;
				g += n;
				b += n;
			}
			const i = (y * width + x) * 3;
			rgb[i] = r;
			rgb[i + 1] = g;
			rgb[i + 2] = b;
		}
	}
	return { width, height, rgb: new Uint8Array(rgb.buffer) };
}

/** Fits a size into a square box (the server scales previews to fit --preview-size, 512 by default). */
export function fitInto(width: number, height: number, box: number): { width: number; height: number } {
	const scale = Math.min(1, box / Math.max(width, height));
	return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}
