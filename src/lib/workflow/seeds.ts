// Seed control after a run: fixed keeps it, increment/decrement step within the spec's range, randomize picks
// a new one in [min, max] (max capped at 2^53-1 so the value survives JSON and IEEE doubles exactly).
import type { Field } from './types';

export const MAX_SAFE_SEED = Number.MAX_SAFE_INTEGER;

export function nextSeed(field: Field, value: unknown, random: () => number = Math.random): number {
	const min = Math.max(field.min ?? 0, -MAX_SAFE_SEED);
	const max = Math.min(field.max ?? MAX_SAFE_SEED, MAX_SAFE_SEED);
	const n = typeof value === 'number' && Number.isFinite(value) ? Math.round(value) : Number(value);
	const current = Number.isFinite(n) ? Math.min(max, Math.max(min, n)) : min;
	switch (field.seedControl ?? 'randomize') {
		case 'fixed':
			return current;
		case 'increment':
			return current + 1 > max ? min : current + 1;
		case 'decrement':
			return current - 1 < min ? max : current - 1;
		case 'randomize':
			return randomInRange(min, max, random);
	}
}

/** Uniform integer in [min, max]; two draws cover ranges wider than one double's 52 fraction bits give evenly. */
export function randomInRange(min: number, max: number, random: () => number): number {
	const span = max - min + 1;
	if (span <= 2 ** 32) return min + Math.floor(random() * span);
	const high = Math.floor(random() * Math.ceil(span / 2 ** 32));
	const low = Math.floor(random() * 2 ** 32);
	const v = min + high * 2 ** 32 + low;
	return v > max ? min + (v - min) % span : v;
}
