import { describe, expect, it } from 'vitest';
import { MAX_BATCH, planBatch } from '../../../src/lib/app/run/batch';
import type { Field, FormModel, SeedControl } from '../../../src/lib/workflow/types';

function seedModel(control: SeedControl): FormModel {
	const seed: Field = { id: '3.seed', nodeId: '3', input: 'seed', kind: 'seed', label: 'Seed', nodeTitle: 'KSampler', group: 'g', default: 10, min: 0, max: 2 ** 53 - 1, seedControl: control, advanced: false };
	const steps: Field = { id: '3.steps', nodeId: '3', input: 'steps', kind: 'int', label: 'Steps', nodeTitle: 'KSampler', group: 'g', default: 20, advanced: false };
	return { fields: [seed, steps], groups: [] };
}

let n = 0;
const counter = () => ((n = (n + 0.137) % 1), n);

describe('planBatch', () => {
	it('uses the current seed first, then moves it on per run, and leaves the next seed in the form', () => {
		const sut = planBatch(seedModel('increment'), { '3.seed': 10, '3.steps': 8 }, 3);
		expect(sut.runs.map((r) => r['3.seed'])).toEqual([10, 11, 12]);
		expect(sut.runs.every((r) => r['3.steps'] === 8)).toBe(true);
		expect(sut.after['3.seed']).toBe(13);
	});

	it('gives distinct random seeds within the safe integer range for "randomize"', () => {
		const sut = planBatch(seedModel('randomize'), { '3.seed': 10 }, 4, counter);
		const seeds = sut.runs.map((r) => r['3.seed'] as number);
		expect(new Set(seeds).size).toBe(4);
		expect(seeds.every((s) => Number.isSafeInteger(s) && s >= 0)).toBe(true);
	});

	it('repeats the same seed for "fixed"', () => {
		const sut = planBatch(seedModel('fixed'), { '3.seed': 99 }, 3);
		expect(sut.runs.map((r) => r['3.seed'])).toEqual([99, 99, 99]);
	});

	it('keeps the count between 1 and the maximum whatever it is given', () => {
		const model = seedModel('fixed');
		expect(planBatch(model, {}, 0).runs).toHaveLength(1);
		expect(planBatch(model, {}, Number.NaN).runs).toHaveLength(1);
		expect(planBatch(model, {}, 1000).runs).toHaveLength(MAX_BATCH);
	});

	it('does not change the values it was given', () => {
		const values = { '3.seed': 1 };
		planBatch(seedModel('increment'), values, 3);
		expect(values).toEqual({ '3.seed': 1 });
	});
});
