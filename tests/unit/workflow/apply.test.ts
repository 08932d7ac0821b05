import { describe, expect, it } from 'vitest';
import { applyForm } from '../../../src/lib/workflow/apply';
import { buildForm } from '../../../src/lib/workflow/form';
import { validateValues } from '../../../src/lib/workflow/validate';
import { nextSeed } from '../../../src/lib/workflow/seeds';
import { mapNodeErrors } from '../../../src/lib/workflow/node-errors';
import { applyCuration } from '../../../src/lib/workflow/curation';
import type { Field } from '../../../src/lib/workflow/types';
import { corpusPrompt, objectInfo } from './corpus';

const prompt = corpusPrompt('lora__lora_multiple');
const model = buildForm(prompt, objectInfo);
const seedField = model.fields.find((f) => f.id === '3.seed') as Field;

describe('applyForm', () => {
	it('writes values into a copy of the prompt and leaves the original alone', () => {
		const r = applyForm(prompt, model, { '3.steps': 30, '6.text': 'a cat' });
		expect(r.prompt['3'].inputs.steps).toBe(30);
		expect(r.prompt['6'].inputs.text).toBe('a cat');
		expect(prompt['3'].inputs.steps).toBe(20);
		expect(r.prompt['3'].inputs.model).toEqual(prompt['3'].inputs.model);
	});

	it('resolves dynamic prompts with the given random source and reports what was sent', () => {
		const r = applyForm(prompt, model, { '6.text': '{red|green|blue} car // comment' }, { random: () => 0.5 });
		expect(r.prompt['6'].inputs.text).toBe('green car ');
		expect(r.resolved['6.text']).toBe('green car ');
		expect(r.resolved['3.seed']).toBe(513173432917412);
	});

	it('accepts a prompt behind a reactive proxy, as app state hands it over', () => {
		const proxied = new Proxy(prompt, {});
		expect(applyForm(proxied, model, { '3.steps': 9 }).prompt['3'].inputs.steps).toBe(9);
	});

	it('turns numeric text into numbers', () => {
		const r = applyForm(prompt, model, { '3.cfg': '6.5' });
		expect(r.prompt['3'].inputs.cfg).toBe(6.5);
	});

	it('rounds floats to the spec rounding, as the frontend stores them', () => {
		expect(applyForm(prompt, model, { '3.cfg': 7.300000001 }).prompt['3'].inputs.cfg).toBe(7.3);
		expect(applyForm(prompt, model, { '3.cfg': 0.1 + 0.2 }).prompt['3'].inputs.cfg).toBe(0.3);
	});
});

describe('validateValues', () => {
	it('accepts the workflow defaults, except a checkpoint this server does not have', () => {
		expect(validateValues(model, {})).toEqual({ '4.ckpt_name': '"v1-5-pruned-emaonly.ckpt" is not one of the choices for Checkpoint.' });
	});

	it('names the field and the limit it breaks', () => {
		const errors = validateValues(model, { '3.steps': 0, '3.cfg': 'abc', '3.sampler_name': 'nope', '3.seed': 2 ** 60, '5.width': 512.5 });
		expect(errors['3.steps']).toBe('Steps must be at least 1.');
		expect(errors['3.cfg']).toBe('CFG must be a number.');
		expect(errors['3.sampler_name']).toContain('"nope" is not one of the choices');
		expect(errors['3.seed']).toContain('at most');
		expect(errors['5.width']).toBe('Width must be a whole number.');
	});
});

describe('nextSeed', () => {
	it('keeps, increments, decrements and randomizes within range', () => {
		expect(nextSeed({ ...seedField, seedControl: 'fixed' }, 5, () => 0.3)).toBe(5);
		expect(nextSeed({ ...seedField, seedControl: 'increment' }, 5)).toBe(6);
		expect(nextSeed({ ...seedField, seedControl: 'decrement' }, 5)).toBe(4);
		expect(nextSeed({ ...seedField, seedControl: 'decrement' }, 0)).toBe(Number.MAX_SAFE_INTEGER);
		expect(nextSeed({ ...seedField, seedControl: 'increment' }, Number.MAX_SAFE_INTEGER)).toBe(0);
		for (const r of [0, 0.25, 0.999999999]) {
			const v = nextSeed({ ...seedField, seedControl: 'randomize' }, 5, () => r);
			expect(Number.isSafeInteger(v) && v >= 0 && v <= Number.MAX_SAFE_INTEGER).toBe(true);
		}
		expect(nextSeed({ ...seedField, seedControl: 'randomize', min: 10, max: 12 }, 5, () => 0.99)).toBe(12);
	});
});

describe('mapNodeErrors', () => {
	it('maps an input error to its field and the rest to general messages by node', () => {
		const mapped = mapNodeErrors(
			{
				'3': {
					class_type: 'KSampler',
					dependent_outputs: ['9'],
					errors: [
						{ type: 'value_smaller_than_min', message: 'Value 0 smaller than min of 1', details: 'steps', extra_info: { input_name: 'steps' } },
						{ type: 'required_input_missing', message: 'Required input is missing', details: 'model', extra_info: { input_name: 'model' } }
					]
				}
			},
			model
		);
		expect(mapped.byField['3.steps']).toEqual(['Value 0 smaller than min of 1: steps']);
		expect(mapped.general).toEqual(['KSampler: Required input is missing: model']);
	});
});

describe('applyCuration', () => {
	it('reorders, hides, renames, promotes and regroups without touching the model', () => {
		const before = structuredClone(model);
		const c = applyCuration(model, {
			order: ['3.steps', '6.text'],
			hidden: ['9.filename_prefix'],
			shown: ['3.denoise'],
			labels: { '3.steps': 'Quality' },
			groups: { '3.cfg': 'mine' },
			groupTitles: { mine: 'My group' }
		});
		expect(c.fields[0]).toMatchObject({ id: '3.steps', label: 'Quality' });
		expect(c.fields[1].id).toBe('6.text');
		expect(c.fields.some((f) => f.id === '9.filename_prefix')).toBe(false);
		expect(c.fields.find((f) => f.id === '3.denoise')?.advanced).toBe(false);
		expect(c.fields.find((f) => f.id === '3.cfg')?.group).toBe('mine');
		expect(c.groups).toContainEqual({ id: 'mine', title: 'My group' });
		expect(model).toEqual(before);
	});

	it('ignores a malformed stored curation instead of throwing', () => {
		const c = applyCuration(model, { order: 'x', hidden: 5, labels: [1], groups: null } as never);
		expect(c.fields.map((f) => f.id)).toEqual(model.fields.map((f) => f.id));
	});

	it('ignores curation entries for fields that no longer exist', () => {
		const c = applyCuration(model, { order: ['99.gone'], hidden: ['98.gone'], labels: { '97.gone': 'x' } });
		expect(c.fields.map((f) => f.id)).toEqual(model.fields.map((f) => f.id));
	});
});
