// V3 input expansion (v3-inputs.ts) on real definitions: the May 2026 /object_info (tests/fixtures/modern) and the
// 0.33.0 server captured in captures-2026 (object_info-0.33.0.json). Widget orders checked against the blueprints'
// own saved widgets_values (corpus/modern README) where a blueprint has the node.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { NodeDef, ObjectInfo } from '../../../src/lib/comfy/types';
import { autogrowEntryName, autogrowTemplate, dynamicComboOptions, inputSlots, widgetEntries } from '../../../src/lib/workflow/v3-inputs';

const dir = path.resolve(__dirname, '../../fixtures/modern');
const may = JSON.parse(readFileSync(path.join(dir, 'object_info-2026-05.json'), 'utf8')) as ObjectInfo;
const v033 = JSON.parse(readFileSync(path.join(dir, 'object_info-0.33.0.json'), 'utf8')) as ObjectInfo;

const positional = (values: unknown[]) => ({ value: (_: string, i: number) => (i >= 0 ? values[i] : undefined) });
const byName = (values: Record<string, unknown>) => ({ value: (n: string) => values[n] });
const names = (def: NodeDef, values: unknown[]) => widgetEntries(def, positional(values)).map((s) => (s.role === 'value' ? s.name : `${s.name}:${s.role}`));

describe('dynamic combos', () => {
	it('ResizeImageMaskNode: the combo, its option inputs right after it, then the next widget (bp-video-stitch)', () => {
		expect(names(may.ResizeImageMaskNode, ['scale dimensions', 512, 512, 'center', 'area'])).toEqual([
			'resize_type',
			'resize_type.width',
			'resize_type.height',
			'resize_type.crop',
			'scale_method'
		]);
		expect(names(may.ResizeImageMaskNode, ['scale by multiplier', 2, 'area'])).toEqual(['resize_type', 'resize_type.multiplier', 'scale_method']);
	});

	it('TextGenerate sampling_mode "on": required children, then the optional one, then thinking (12 saved values)', () => {
		const values = ['', 2048, 'on', 0.6, 64, 0.8, 0.05, 1.05, 0, 0, false, true];
		const list = names(may.TextGenerate, values);
		expect(list).toEqual([
			'prompt',
			'max_length',
			'sampling_mode',
			'sampling_mode.temperature',
			'sampling_mode.top_k',
			'sampling_mode.top_p',
			'sampling_mode.min_p',
			'sampling_mode.repetition_penalty',
			'sampling_mode.seed',
			'sampling_mode.presence_penalty',
			'thinking',
			'use_default_template'
		]);
		expect(list).toHaveLength(values.length);
		// "off" has no inputs: nothing follows the combo.
		expect(names(may.TextGenerate, ['', 256, 'off', false, true])).toEqual(['prompt', 'max_length', 'sampling_mode', 'thinking', 'use_default_template']);
	});

	it('an option without inputs adds nothing (GLSLShader size_mode "from_input"); "custom" adds width and height', () => {
		expect(names(may.GLSLShader, ['src', 'from_input'])).toEqual(['fragment_shader', 'size_mode']);
		expect(names(may.GLSLShader, ['src', 'custom', 640, 480])).toEqual(['fragment_shader', 'size_mode', 'size_mode.width', 'size_mode.height']);
	});

	it('nested dynamic combos on 0.33.0 SaveVideo: format → format.codec → format.codec.encoding → its children', () => {
		expect(names(v033.SaveVideo, ['video/x', 'auto', 'auto', 'auto'])).toEqual(['filename_prefix', 'format', 'format.codec', 'codec']);
		expect(names(v033.SaveVideo, ['video/x', 'mp4', 'h264', 're-encode', 20, 'sRGB', 'auto'])).toEqual([
			'filename_prefix',
			'format',
			'format.codec',
			'format.codec.encoding',
			'format.codec.encoding.crf',
			'format.codec.encoding.color_space',
			'codec'
		]);
		const hidden = inputSlots(v033.SaveVideo, positional(['video/x', 'auto', 'auto', 'auto'])).find((s) => s.name === 'codec');
		expect(hidden).toMatchObject({ kind: 'dynamic-combo', widget: true, hidden: true, optional: true });
	});

	it('without values a dynamic combo takes its first option; by-name values (a prompt) select the option', () => {
		expect(names(may.ResizeImageMaskNode, [])).toEqual(['resize_type', 'resize_type.width', 'resize_type.height', 'resize_type.crop', 'scale_method']);
		const slots = widgetEntries(may.ResizeImageMaskNode, byName({ resize_type: 'scale longer dimension' }));
		expect(slots.map((s) => s.name)).toEqual(['resize_type', 'resize_type.longer_size', 'scale_method']);
		expect(slots[1].parent).toEqual({ kind: 'dynamic-combo', name: 'resize_type', option: 'scale longer dimension' });
		expect(slots[1].label).toBe('longer_size');
	});

	it('lists every option with its child specs, required before optional', () => {
		const options = dynamicComboOptions(may.TextGenerate.input.required!.sampling_mode)!;
		expect(options.map((o) => o.key)).toEqual(['on', 'off']);
		expect(options[0].inputs.map((c) => `${c.key}${c.optional ? '?' : ''}`)).toEqual(['temperature', 'top_k', 'top_p', 'min_p', 'repetition_penalty', 'seed', 'presence_penalty?']);
		expect(options[1].inputs).toEqual([]);
		expect(dynamicComboOptions(['INT', {}])).toBeUndefined();
	});

	it('the child seed of a dynamic combo has no control value (saved TextGenerate: 0, then presence_penalty)', () => {
		const slots = widgetEntries(may.TextGenerate, positional(['', 2048, 'on']));
		expect(slots.filter((s) => s.role !== 'value')).toEqual([]);
	});

	it('an autogrow inside an option is dotted twice: model.images.image_1', () => {
		const def = may.OpenAIGPTImageNodeV2;
		const saved = new Map([['model.images.image_1', false], ['model.images.image_2', false]]);
		const slots = inputSlots(def, { ...positional(['a cat', 'gpt-image-2']), saved });
		const images = slots.filter((s) => s.parent?.kind === 'autogrow');
		expect(images.map((s) => s.name)).toEqual(['model.images.image_1', 'model.images.image_2']);
		expect(images.every((s) => !s.widget && s.types[0] === 'IMAGE')).toBe(true);
	});
});

describe('autogrow', () => {
	it('names entries by prefix + ordinal, lists the entries the node has and at least min', () => {
		const saved = new Map(['images.image0', 'images.image1', 'images.image2'].map((n) => [n, false]));
		const slots = inputSlots(may.BatchImagesNode, { saved });
		expect(slots.map((s) => s.name)).toEqual(['images.image0', 'images.image1', 'images.image2']);
		expect(slots.map((s) => s.optional)).toEqual([false, true, true]);
		expect(inputSlots(may.BatchImagesNode).map((s) => s.name)).toEqual(['images.image0']);
	});

	it('uses names when given (ComfyMathExpression values.a, values.b) and prefixes for GLSL uniforms', () => {
		const t = autogrowTemplate(may.ComfyMathExpression.input.required!.values)!;
		expect(t.max).toBe(26);
		expect(autogrowEntryName('values', t, 1, 'value')).toBe('values.b');
		const glsl = autogrowTemplate(may.GLSLShader.input.required!.floats)!;
		expect(autogrowEntryName('floats', glsl, 0, 'float')).toBe('floats.u_float0');
		const saved = new Map([['values.a', false], ['values.b', false]]);
		const slots = inputSlots(may.ComfyMathExpression, { saved });
		expect(slots.map((s) => `${s.name}:${s.widget ? 'w' : 's'}`)).toEqual(['expression:w', 'values.a:s', 'values.b:s']);
		expect(slots[1].types).toEqual(['FLOAT', 'INT', 'BOOLEAN']);
	});

	it('a forced-socket template (GLSL floats, FLOAT with forceInput) owns no widget value', () => {
		const saved = new Map([['floats.u_float0', false]]);
		expect(widgetEntries(may.GLSLShader, { ...positional(['s', 'from_input']), saved }).map((s) => s.name)).toEqual(['fragment_shader', 'size_mode']);
	});
});

describe('sockets, V3 COMBO and new widget types', () => {
	it('match-type inputs are sockets under their own name with the allowed types', () => {
		const slots = inputSlots(may.ComfySwitchNode);
		expect(slots.map((s) => [s.name, s.kind, s.widget, s.types.join(',')])).toEqual([
			['switch', 'widget', true, 'BOOLEAN'],
			['on_false', 'matchtype', false, '*'],
			['on_true', 'matchtype', false, '*']
		]);
		expect(inputSlots(may.ResizeImageMaskNode)[0]).toMatchObject({ name: 'input', kind: 'matchtype', types: ['IMAGE', 'MASK'] });
	});

	it('a multi-type input with widgetType is a widget of that type (LTXVEmptyLatentAudio frame_rate "FLOAT,INT")', () => {
		const slot = inputSlots(v033.LTXVEmptyLatentAudio).find((s) => s.name === 'frame_rate')!;
		expect(slot).toMatchObject({ widget: true, kind: 'widget', types: ['FLOAT', 'INT'] });
	});

	it('keeps advanced, remote and multiselect in the slot info', () => {
		expect(inputSlots(may.TextGenerate).find((s) => s.name === 'use_default_template')?.advanced).toBe(true);
		expect(inputSlots(may.LoadImageOutput).find((s) => s.name === 'image')).toMatchObject({ kind: 'combo', remote: true, widget: true });
		const def: NodeDef = { name: 'T', input: { required: { tags: ['COMBO', { options: ['a', 'b'], multiselect: true }] } }, output: [] };
		expect(inputSlots(def)[0]).toMatchObject({ kind: 'combo', multiselect: true, widget: true });
	});

	it('CURVE and other socketless types are widgets (CurveEditor.curve)', () => {
		expect(inputSlots(may.CurveEditor).find((s) => s.name === 'curve')).toMatchObject({ widget: true, kind: 'widget' });
	});

	it('an unknown type is a socket unless the saved node says it carries a widget', () => {
		const def: NodeDef = { name: 'T', input: { required: { a: ['INT', {}], fancy: ['FANCY_NEW', {}], b: ['INT', {}] } }, output: [] };
		expect(widgetEntries(def).map((s) => s.name)).toEqual(['a', 'b']);
		const saved = new Map([['a', true], ['fancy', true], ['b', true]]);
		expect(widgetEntries(def, { saved }).map((s) => s.name)).toEqual(['a', 'fancy', 'b']);
		expect(widgetEntries(def, { saved: new Map([['fancy', false]]) }).map((s) => s.name)).toEqual(['a', 'b']);
	});

	it('never throws on malformed V3 specs', () => {
		const def = {
			name: 'Bad',
			input: { required: { d: ['COMFY_DYNAMICCOMBO_V3', { options: [null, 3, { key: 'k', inputs: 7 }] }], g: ['COMFY_AUTOGROW_V3', { template: 'x' }], m: ['COMFY_MATCHTYPE_V3'] } },
			output: []
		} as unknown as NodeDef;
		expect(inputSlots(def, positional(['k'])).map((s) => s.name)).toEqual(['d', 'm']);
	});
});
