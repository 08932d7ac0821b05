// Planning a batch of N runs from one form: pure, so the seed sequence can be tested without a server.
import { nextSeed } from '../../workflow';
import type { Field, FormModel } from '../../workflow/types';

export interface BatchPlan {
	/** Form values for each run, in submission order. */
	runs: Record<string, unknown>[];
	/** What the form shows after the batch: seeds already moved on, as ComfyUI's "control after generate" does. */
	after: Record<string, unknown>;
}

export const MAX_BATCH = 16;

/**
 * The first run uses the values as they stand; every seed field then moves on by its own control before the
 * next run, so a batch of 4 with "randomize" gives 4 distinct seeds and "fixed" repeats the same one.
 */
export function planBatch(
	model: FormModel,
	values: Record<string, unknown>,
	count: number,
	random: () => number = Math.random
): BatchPlan {
	const n = Math.max(1, Math.min(MAX_BATCH, Math.floor(Number.isFinite(count) ? count : 1)));
	const seeds = model.fields.filter((f) => f.kind === 'seed');
	const runs: Record<string, unknown>[] = [];
	let current = { ...values };
	for (let i = 0; i < n; i++) {
		runs.push(current);
		current = advanceSeeds(seeds, current, random);
	}
	return { runs, after: current };
}

function advanceSeeds(seeds: Field[], values: Record<string, unknown>, random: () => number): Record<string, unknown> {
	if (seeds.length === 0) return values;
	const next = { ...values };
	for (const field of seeds) next[field.id] = nextSeed(field, values[field.id] ?? field.default, random);
	return next;
}
