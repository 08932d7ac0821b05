// The emulator's prompt validation on its own: the corpus prompts, and the error types the captures do not show.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ApiPrompt, NodeErrors } from '../../../src/lib/comfy/types';
import { Catalog } from '../../../tools/comfy-emulator/catalog';
import { validatePrompt, type ValidationResult } from '../../../tools/comfy-emulator/validation';
import { defaultOf } from './support/defaults';

const catalog = new Catalog();
const images = catalog.seedInputImages;
const CORPUS = new URL('../../fixtures/corpus/workflows/', import.meta.url);

function validate(prompt: unknown, targets: unknown = null): ValidationResult {
	return validatePrompt(prompt as Record<string, unknown>, targets, {
		def: (cls) => catalog.def(cls, images),
		imageExists: (value) => images.includes(value)
	});
}

function errorsOf(result: ValidationResult): NodeErrors {
	return result.nodeErrors;
}

const corpus = readdirSync(CORPUS)
	.filter((f) => f.endsWith('.prompt.json'))
	.map((f) => [f, JSON.parse(readFileSync(new URL(f, CORPUS), 'utf8')) as ApiPrompt] as const);

const saveNode = (extra: Record<string, unknown> = {}): ApiPrompt => ({
	'1': { class_type: 'EmptyLatentImage', inputs: { width: 512, height: 512, batch_size: 1, ...extra } },
	'2': { class_type: 'VAEDecode', inputs: { samples: ['1', 0], vae: ['3', 2] } },
	'3': { class_type: 'CheckpointLoaderSimple', inputs: { ckpt_name: 'dreamshaper_8.safetensors' } },
	'4': { class_type: 'SaveImage', inputs: { images: ['2', 0], filename_prefix: 'x' } }
});

describe('validation of the corpus prompts', () => {
	it.each(corpus)('%s names only models and files the emulator has', (_, prompt) => {
		const types = Object.values(errorsOf(validate(prompt))).flatMap((e) => e.errors.map((x) => x.type));
		// Prompts saved before a node gained a widget lack that input; today's server requires it (corpus README).
		expect(types.filter((t) => t !== 'required_input_missing')).toEqual([]);
	});

	it.each(corpus)('%s validates once inputs added since it was saved get their defaults', (_, original) => {
		const prompt = structuredClone(original);
		for (const [id, error] of Object.entries(errorsOf(validate(prompt)))) {
			for (const e of error.errors) {
				prompt[id].inputs[e.details] = defaultOf(catalog.def(error.class_type, images)!.input.required![e.details]) as never;
			}
		}
		const result = validate(prompt);
		expect(result.ok && result.nodeErrors).toEqual({});
	});
});

describe('validation errors beyond the captured ones', () => {
	it('a LoadImage file that is not in the input folder fails its custom validation, not the combo check', () => {
		const prompt: ApiPrompt = {
			'1': { class_type: 'LoadImage', inputs: { image: 'holiday.png' } },
			'2': { class_type: 'PreviewImage', inputs: { images: ['1', 0] } }
		};
		const result = validate(prompt);
		expect(result.ok).toBe(false);
		expect(errorsOf(result)['1'].errors[0]).toMatchObject({
			type: 'custom_validation_failed',
			message: 'Custom validation failed for node',
			details: 'image - Invalid image file: holiday.png'
		});
	});

	it('a link to an output of the wrong type is a return_type_mismatch on the receiving node', () => {
		const prompt = saveNode();
		prompt['2'].inputs.samples = ['3', 0];
		const errors = errorsOf(validate(prompt));
		expect(errors['2'].errors[0]).toMatchObject({ type: 'return_type_mismatch', details: 'samples, received_type(MODEL) mismatch input_type(LATENT)' });
		expect(errors['2'].dependent_outputs).toEqual(['4']);
	});

	it('a FLOAT below its minimum is reported with Python float formatting', () => {
		const prompt: ApiPrompt = {
			...saveNode(),
			'5': { class_type: 'KSampler', inputs: { model: ['3', 0], positive: ['6', 0], negative: ['6', 0], latent_image: ['1', 0], seed: 1, steps: 4, cfg: -1, sampler_name: 'euler', scheduler: 'normal', denoise: 1 } },
			'6': { class_type: 'CLIPTextEncode', inputs: { text: 'x', clip: ['3', 1] } }
		};
		prompt['2'].inputs.samples = ['5', 0];
		expect(errorsOf(validate(prompt))['5'].errors[0]).toMatchObject({ type: 'value_smaller_than_min', message: 'Value -1.0 smaller than min of 0.0', details: 'cfg' });
	});

	it('a combo value outside a list of more than 20 options quotes the list length instead of the list', () => {
		const prompt: ApiPrompt = { ...saveNode(), '3': { class_type: 'CheckpointLoaderSimple', inputs: { ckpt_name: 'nope.safetensors' } } };
		const error = errorsOf(validate(prompt))['3'].errors[0];
		const count = catalog.models('checkpoints')!.length;
		expect(count).toBeGreaterThan(20);
		expect(error).toMatchObject({ type: 'value_not_in_list', details: `ckpt_name: 'nope.safetensors' not in (list of length ${count})` });
		expect(error.extra_info.input_config).toBeNull();
	});

	it('values are coerced like the server does, and the coerced prompt is what gets queued', () => {
		const result = validate(saveNode({ width: '768', batch_size: 2.9 }));
		expect(result.ok).toBe(true);
		expect(result.ok && result.prompt['1'].inputs).toEqual({ width: 768, height: 512, batch_size: 2 });
	});

	it('a missing node id in a link of an inner node is an exception_during_inner_validation on that node', () => {
		const prompt = saveNode();
		prompt['2'].inputs.vae = ['99', 2];
		const result = validate(prompt);
		expect(result.ok).toBe(false);
		expect(errorsOf(result)['2']).toMatchObject({
			errors: [{ type: 'exception_during_inner_validation', details: "'99'", extra_info: { input_name: 'images', linked_node: ['2', 0] } }],
			dependent_outputs: ['4']
		});
	});

	it('partial_execution_targets limits the outputs that are checked and run', () => {
		const prompt: ApiPrompt = { ...saveNode(), '5': { class_type: 'PreviewImage', inputs: { images: ['2', 0] } } };
		const result = validate(prompt, ['5']);
		expect(result.ok && result.outputs).toEqual(['5']);
		expect(validate(prompt, ['2'])).toMatchObject({ ok: false, error: { type: 'prompt_no_outputs' } });
	});

	it('a node without class_type is an invalid_prompt naming it', () => {
		expect(validate({ '7': { inputs: {} } })).toMatchObject({
			ok: false,
			error: { type: 'invalid_prompt', message: 'Cannot execute because a node is missing the class_type property.', details: "Node ID '#7'" }
		});
	});
});
