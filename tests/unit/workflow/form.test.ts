import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildForm } from '../../../src/lib/workflow/form';
import { convertToApi } from '../../../src/lib/workflow/convert';
import type { Field, FormModel, UiWorkflow } from '../../../src/lib/workflow/types';
import type { ObjectInfo } from '../../../src/lib/comfy/types';
import { corpusDir, corpusPrompt, corpusWorkflow, fixture, objectInfo } from './corpus';

function formOf(name: string): FormModel {
	const workflow = corpusWorkflow(name);
	const r = convertToApi(workflow, objectInfo);
	if (!r.ok) throw new Error(r.error);
	return buildForm(r.prompt, objectInfo, { workflow });
}

const field = (m: FormModel, id: string): Field => {
	const f = m.fields.find((x) => x.id === id);
	if (!f) throw new Error(`no field ${id}`);
	return f;
};

describe('buildForm', () => {
	it('finds the positive and negative prompts by tracing the sampler back to its text encoders', () => {
		const m = formOf('lora__lora_multiple');
		expect(field(m, '6.text')).toMatchObject({ kind: 'multiline', role: 'positive', default: 'masterpiece best quality girl', advanced: false });
		expect(field(m, '7.text')).toMatchObject({ role: 'negative', default: 'bad hands', advanced: false });
	});

	it('traces prompts through ControlNet nodes that pass positive and negative separately', () => {
		const m = formOf('controlnet__controlnet_example');
		const roles = m.fields.filter((f) => f.role).map((f) => [f.role, f.default]);
		expect(roles.filter(([r]) => r === 'positive')).toHaveLength(1);
		expect(roles.filter(([r]) => r === 'negative')).toHaveLength(1);
	});

	it('takes a text that reaches the negative only through a zeroed-out positive as the positive prompt', () => {
		const m = formOf('sd3__sd3.5_large_canny_controlnet_example');
		expect(m.fields.filter((f) => f.role).map((f) => [f.id, f.role, f.label])).toEqual([['6.text', 'positive', 'Prompt']]);
	});

	it('names each text of an encoder with several, like CLIPTextEncodeSD3', () => {
		const prompt = {
			'1': { class_type: 'CLIPTextEncodeSD3', inputs: { clip_l: 'a', clip_g: 'b', t5xxl: 'c', empty_padding: 'none', clip: ['9', 1] } },
			'2': { class_type: 'KSampler', inputs: { seed: 1, steps: 2, cfg: 3, sampler_name: 'euler', scheduler: 'normal', denoise: 1, positive: ['1', 0] } }
		} as const;
		const m = buildForm(structuredClone(prompt) as never, objectInfo);
		expect(m.fields.filter((f) => f.role === 'positive').map((f) => f.label)).toEqual(['Prompt (Clip l)', 'Prompt (Clip g)', 'Prompt (T5xxl)']);
	});

	it('makes seeds with the workflow control mode and a max no larger than 2^53-1', () => {
		const m = formOf('lora__lora_multiple');
		const seed = field(m, '3.seed');
		expect(seed).toMatchObject({ kind: 'seed', default: 513173432917412, min: 0, max: Number.MAX_SAFE_INTEGER, seedControl: 'randomize', advanced: false });
	});

	it('reads a seed control stored as a string after the seed', () => {
		const m = formOf('flux__flux_dev_example');
		expect(field(m, '25.noise_seed').seedControl).toBe('randomize');
		expect(field(m, '25.noise_seed').default).toBe(219670278747233);
	});

	it('takes the seed control from the PrimitiveNode that drives the seed', () => {
		const workflow = fixture('reroutes-primitives.workflow.json');
		workflow.nodes.push({ id: 60, type: 'PrimitiveNode', outputs: [{ name: 'INT', type: 'INT', links: [60], widget: { name: 'seed' } }], widgets_values: [1234, 'decrement'] });
		workflow.links.push([60, 60, 0, 3, 4, 'INT']);
		const sampler = workflow.nodes.find((n) => n.id === 3);
		if (sampler?.inputs) sampler.inputs[4].link = 60;
		const r = convertToApi(workflow, objectInfo);
		if (!r.ok) throw new Error(r.error);
		const seed = buildForm(r.prompt, objectInfo, { workflow }).fields.find((f) => f.id === '3.seed');
		expect(seed).toMatchObject({ default: 1234, seedControl: 'decrement' });
	});

	it('keeps the workflow values as defaults (size, batch) and puts them up front', () => {
		const m = formOf('lora__lora_multiple');
		expect(field(m, '5.width')).toMatchObject({ kind: 'int', default: 512, advanced: false, min: 16 });
		expect(field(m, '5.batch_size')).toMatchObject({ default: 1, advanced: false });
		expect(field(m, '3.steps')).toMatchObject({ default: 20, advanced: false });
		expect(field(m, '3.cfg')).toMatchObject({ kind: 'float', default: 8, step: 0.1, round: 0.01, advanced: false, slider: false });
		expect(field(m, '3.denoise')).toMatchObject({ kind: 'float', slider: true, advanced: true });
		expect(field(m, '3.sampler_name')).toMatchObject({ kind: 'combo', default: 'euler', advanced: true });
		expect(field(m, '3.sampler_name').options).toContain('dpmpp_2m');
	});

	it('puts the up-front fields first, prompts leading, the rest after them', () => {
		const m = formOf('lora__lora_multiple');
		const front = m.fields.filter((f) => !f.advanced).map((f) => f.id);
		expect(front.slice(0, 3)).toEqual(['6.text', '7.text', '4.ckpt_name']);
		expect(front.at(-1)).toBe('3.seed');
		expect(m.fields.slice(0, front.length).every((f) => !f.advanced)).toBe(true);
	});

	it('brings a seed saved beyond 2^53-1 back into the usable range', () => {
		const prompt = corpusPrompt('lora__lora_multiple');
		prompt['3'].inputs.seed = 18446744073709551615;
		expect(buildForm(prompt, objectInfo).fields.find((f) => f.id === '3.seed')?.default).toBe(Number.MAX_SAFE_INTEGER);
	});

	it('puts denoise up front only for an image-to-image pass (denoise below 1)', () => {
		expect(formOf('lora__lora_multiple').fields.find((f) => f.id === '3.denoise')?.advanced).toBe(true);
		const refine = formOf('controlnet__2_pass_pose_worship').fields.filter((f) => f.input === 'denoise');
		expect(refine.map((f) => [f.default, f.advanced])).toContainEqual([expect.any(Number), false]);
		for (const f of refine) expect(f.advanced).toBe(!((f.default as number) < 1));
	});

	it('offers checkpoint and LoRA pickers with their model folders', () => {
		const m = formOf('lora__lora_multiple');
		expect(field(m, '4.ckpt_name')).toMatchObject({ kind: 'model', modelFolder: 'checkpoints', advanced: false });
		expect(field(m, '10.lora_name')).toMatchObject({ kind: 'lora', modelFolder: 'loras', advanced: false, default: 'epiNoiseoffset_v2.safetensors' });
		expect(field(m, '10.strength_model').advanced).toBe(false);
		expect(field(m, '9.filename_prefix')).toMatchObject({ kind: 'text', advanced: true });
	});

	it('makes LoadImage an image field', () => {
		const m = formOf('controlnet__controlnet_example');
		const images = m.fields.filter((f) => f.kind === 'image');
		expect(images.length).toBeGreaterThan(0);
		expect(images[0].advanced).toBe(false);
	});

	it('offers a published video workflow with prompts, checkpoint, size, length, steps, cfg and seed up front', () => {
		const workflow = JSON.parse(readFileSync(path.join(corpusDir, 'media/ltxv_text_to_video.ui-only.json'), 'utf8')) as UiWorkflow;
		const r = convertToApi(workflow, objectInfo);
		if (!r.ok) throw new Error(r.error);
		const front = buildForm(r.prompt, objectInfo, { workflow }).fields.filter((f) => !f.advanced);
		expect(front.map((f) => f.label)).toEqual(['Prompt', 'Negative prompt', 'Checkpoint', 'Width', 'Height', 'Length', 'Batch size', 'Steps', 'CFG', 'Noise seed']);
	});

	it('never offers a linked input as a field', () => {
		const prompt = corpusPrompt('lora__lora_multiple');
		const m = buildForm(prompt, objectInfo);
		expect(m.fields.some((f) => f.input === 'model' || f.input === 'clip')).toBe(false);
		for (const f of m.fields) expect(Array.isArray(prompt[f.nodeId].inputs[f.input])).toBe(false);
	});

	it('groups fields by the workflow groups that hold their nodes, else by node', () => {
		const m = formOf('sdxl__sdxl_refiner_prompt_example');
		expect(m.groups.some((g) => g.id.startsWith('group:'))).toBe(true);
		for (const f of m.fields) expect(m.groups.some((g) => g.id === f.group)).toBe(true);
	});

	it('uses the label the user gave a widget socket in the editor', () => {
		const workflow = corpusWorkflow('lora__lora_multiple');
		const sampler = workflow.nodes.find((n) => n.id === 3);
		sampler?.inputs?.push({ name: 'steps', type: 'INT', link: null, widget: { name: 'steps' }, label: 'Quality steps' });
		const text = workflow.nodes.find((n) => n.id === 6);
		text?.inputs?.push({ name: 'text', type: 'STRING', link: null, widget: { name: 'text' }, label: 'Describe the picture' });
		const r = convertToApi(workflow, objectInfo);
		if (!r.ok) throw new Error(r.error);
		const m = buildForm(r.prompt, objectInfo, { workflow });
		expect(m.fields.find((f) => f.id === '3.steps')?.label).toBe('Quality steps');
		expect(m.fields.find((f) => f.id === '6.text')).toMatchObject({ label: 'Describe the picture', role: 'positive' });
	});

	it('uses node titles from the workflow', () => {
		const m = formOf('flux__flux_dev_example');
		expect(m.fields.find((f) => f.nodeId === '6')?.nodeTitle).toBe('CLIP Text Encode (Positive Prompt)');
	});

	it('follows App Mode metadata when the workflow carries it', () => {
		const workflow = corpusWorkflow('lora__lora_multiple');
		workflow.extra = { ...workflow.extra, linearData: { inputs: [[3, 'steps', { description: 'More is slower' }], [6, 'text']], outputs: [9] } };
		const r = convertToApi(workflow, objectInfo);
		if (!r.ok) throw new Error(r.error);
		const m = buildForm(r.prompt, objectInfo, { workflow });
		const front = m.fields.filter((f) => !f.advanced).map((f) => f.id);
		expect(front).toEqual(['3.steps', '6.text']);
		expect(m.fields[0].tooltip).toBe('More is slower');
	});

	it('returns an empty form rather than throwing on a malformed prompt', () => {
		expect(buildForm({ x: null } as never, objectInfo)).toEqual({ fields: [], groups: [] });
	});
});

describe('buildForm on nested workflows', () => {
	it('groups the inner nodes of a subgraph under the instance title', () => {
		const workflow = fixture('subgraphs.workflow.json');
		const r = convertToApi(workflow, objectInfo);
		if (!r.ok) throw new Error(r.error);
		const m = buildForm(r.prompt, objectInfo, { workflow });
		const text = m.fields.find((f) => f.id === '5:1.text');
		expect(text).toMatchObject({ group: 'node:5', role: 'positive', default: 'a red fox in the snow' });
		expect(m.groups).toContainEqual({ id: 'node:5', title: 'Positive' });
		expect(m.fields.find((f) => f.id === '7:1.steps')?.group).toBe('node:7');
		expect(m.fields.find((f) => f.id === '7:1.seed')?.seedControl).toBe('fixed');
	});

	it('groups the inner nodes of a legacy group node under its name', () => {
		const m = formOf('hidream__hidream_e1_example');
		expect(m.groups).toContainEqual({ id: 'node:37', title: 'IP2PSampler' });
		expect(m.fields.find((f) => f.id === '37:7.cfg_conds')?.label).toBe('cfg_text');
		expect(m.fields.find((f) => f.id === '37:1.noise_seed')).toMatchObject({ kind: 'seed', group: 'node:37', advanced: false, seedControl: 'randomize' });
		const fixed = corpusWorkflow('hidream__hidream_e1_example');
		const group = fixed.nodes.find((n) => n.id === 37);
		if (Array.isArray(group?.widgets_values)) group.widgets_values[2] = 'increment';
		const r = convertToApi(fixed, objectInfo);
		if (!r.ok) throw new Error(r.error);
		expect(buildForm(r.prompt, objectInfo, { workflow: fixed }).fields.find((f) => f.id === '37:1.noise_seed')?.seedControl).toBe('increment');
	});
});

describe('buildForm field kinds', () => {
	const info: ObjectInfo = {
		...objectInfo,
		TestKinds: {
			input: {
				required: {
					enabled: ['BOOLEAN', { default: true, label_on: 'on', label_off: 'off' }],
					mix: ['FLOAT', { default: 0.5, min: 0, max: 1, step: 0.05, display: 'slider' }],
					gain: ['FLOAT', { default: 1, min: -100, max: 100, step: 0.1 }],
					name: ['STRING', { default: '' }],
					mode: ['COMBO', { options: ['fast', 'slow'], control_after_generate: true }],
					legacy: [['x', 'y']],
					count: ['INT', { default: 3, min: 1, max: 8 }],
					linked: ['INT', { forceInput: true }]
				}
			},
			output: [],
			name: 'TestKinds'
		}
	};
	const prompt = {
		'1': { class_type: 'TestKinds', inputs: { enabled: false, mix: 0.25, gain: 2, name: 'abc', mode: 'slow', legacy: 'y', count: 4, linked: 7 } }
	};
	const m = buildForm(prompt, info);
	const kinds = Object.fromEntries(m.fields.map((f) => [f.input, f.kind]));

	it('gives each widget type its field kind, and none to a forced socket', () => {
		expect(kinds).toEqual({ enabled: 'boolean', mix: 'float', gain: 'float', name: 'text', mode: 'combo', legacy: 'combo', count: 'int' });
	});

	it('offers the options of both combo specs and sliders for small ranges', () => {
		const byInput = (i: string) => m.fields.find((f) => f.input === i);
		expect(byInput('mode')).toMatchObject({ options: ['fast', 'slow'], default: 'slow' });
		expect(byInput('legacy')).toMatchObject({ options: ['x', 'y'], default: 'y' });
		expect(byInput('mix')).toMatchObject({ slider: true, step: 0.05 });
		expect(byInput('gain')).toMatchObject({ slider: false, min: -100, max: 100 });
		expect(byInput('count')).toMatchObject({ slider: true, step: 1 });
		expect(byInput('enabled')?.default).toBe(false);
	});
});
