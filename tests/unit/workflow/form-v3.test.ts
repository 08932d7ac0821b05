// V3 inputs in the form: built from the 2026 server's own definitions (tests/fixtures/modern/object_info-2026-05.json)
// and applied to prompts shaped as the server expects them (flat dotted keys, captures-2026 S6b).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildForm } from '../../../src/lib/workflow/form';
import { applyForm } from '../../../src/lib/workflow/apply';
import { validateValues } from '../../../src/lib/workflow/validate';
import { mapNodeErrors } from '../../../src/lib/workflow/node-errors';
import { applyCuration } from '../../../src/lib/workflow/curation';
import { activeIds } from '../../../src/lib/workflow/form-active';
import { dynamicComboOptions } from '../../../src/lib/workflow/v3-inputs';
import type { ApiPrompt, InputSpec, ObjectInfo } from '../../../src/lib/comfy/types';
import type { Field, FormModel } from '../../../src/lib/workflow/types';

const objectInfo = JSON.parse(readFileSync(path.resolve(__dirname, '../../fixtures/modern/object_info-2026-05.json'), 'utf8')) as ObjectInfo;

function prompt(): ApiPrompt {
	return {
		'1': { class_type: 'LoadImage', inputs: { image: 'example.png' } },
		'2': {
			class_type: 'ResizeImageMaskNode',
			inputs: { input: ['1', 0], resize_type: 'scale dimensions', 'resize_type.width': 640, 'resize_type.height': 480, 'resize_type.crop': 'center', scale_method: 'area' }
		},
		'3': { class_type: 'SaveImage', inputs: { images: ['2', 0], filename_prefix: 'v3' } },
		'4': { class_type: 'PrimitiveFloat', inputs: { value: 0.25 } },
		'5': {
			class_type: 'GLSLShader',
			inputs: { fragment_shader: 'void main() {}', size_mode: 'from_input', 'images.image0': ['1', 0], 'floats.u_float0': ['4', 0], 'floats.u_float1': 0.5 }
		},
		'6': {
			class_type: 'TextGenerate',
			inputs: {
				clip: ['9', 0],
				prompt: 'a cat',
				max_length: 256,
				sampling_mode: 'on',
				'sampling_mode.temperature': 0.7,
				'sampling_mode.top_k': 64,
				'sampling_mode.top_p': 0.95,
				'sampling_mode.min_p': 0.05,
				'sampling_mode.repetition_penalty': 1.05,
				'sampling_mode.seed': 7,
				'sampling_mode.presence_penalty': 0,
				thinking: false,
				use_default_template: true
			}
		},
		// A dict constant (the curve editor's value) goes out as it is; ApiInputValue does not name that shape.
		'7': { class_type: 'CurveEditor', inputs: { curve: { points: [[0, 0], [0.4, 0.7], [1, 1]], interpolation: 'monotone_cubic' } as never } }
	};
}

const form = (): FormModel => buildForm(prompt(), objectInfo);
const field = (m: FormModel, id: string): Field => {
	const f = m.fields.find((x) => x.id === id);
	if (!f) throw new Error(`no field ${id}: ${m.fields.map((x) => x.id).join(', ')}`);
	return f;
};
const keysUnder = (inputs: Record<string, unknown>, prefix: string) => Object.keys(inputs).filter((k) => k.startsWith(`${prefix}.`));

describe('dynamic combos in the form', () => {
	it('is one choice of the option keys, followed by the sub-fields of every option', () => {
		const m = form();
		expect(field(m, '2.resize_type')).toMatchObject({ kind: 'combo', dynamic: true, default: 'scale dimensions' });
		expect(field(m, '2.resize_type').options).toEqual(dynamicComboOptions(objectInfo.ResizeImageMaskNode.input.required!.resize_type as InputSpec)!.map((o) => o.key));
		expect(field(m, '2.resize_type.width@scale dimensions')).toMatchObject({ kind: 'int', default: 640, max: 16384, parent: { id: '2.resize_type', option: 'scale dimensions' } });
		// Another option's sub-input of the same name is its own field, with the server's default.
		expect(field(m, '2.resize_type.width@scale width')).toMatchObject({ default: 512, parent: { option: 'scale width' } });
		// A socket sub-input (match size › match) is no field: it is linked in the graph or not at all.
		expect(m.fields.some((f) => f.input === 'resize_type.match')).toBe(false);
		// Sub-fields come right after their combo.
		const ids = m.fields.map((f) => f.id);
		expect(ids.indexOf('2.resize_type.width@scale dimensions')).toBe(ids.indexOf('2.resize_type') + 1);
	});

	it('has only the chosen option in effect, live as the choice changes', () => {
		const m = form();
		const on = (values: Record<string, unknown>) => [...activeIds(m, values)].filter((id) => id.startsWith('2.resize_type.'));
		expect(on({})).toEqual(['2.resize_type.width@scale dimensions', '2.resize_type.height@scale dimensions', '2.resize_type.crop@scale dimensions']);
		expect(on({ '2.resize_type': 'scale by multiplier' })).toEqual(['2.resize_type.multiplier@scale by multiplier']);
		expect(on({ '2.resize_type': 'match size' })).toEqual(['2.resize_type.crop@match size']);
	});

	it('sends the combo key and exactly the chosen option\'s dotted keys; switching back restores what was typed', () => {
		const m = form();
		const values: Record<string, unknown> = { '2.resize_type.width@scale dimensions': 800, '2.resize_type': 'scale by multiplier', '2.resize_type.multiplier@scale by multiplier': 2 };
		const switched = applyForm(prompt(), m, values).prompt['2'].inputs;
		expect(switched).toEqual({ input: ['1', 0], resize_type: 'scale by multiplier', 'resize_type.multiplier': 2, scale_method: 'area' });
		expect(Object.keys(switched)).toEqual(['input', 'resize_type', 'resize_type.multiplier', 'scale_method']);
		values['2.resize_type'] = 'scale dimensions';
		expect(applyForm(prompt(), m, values).prompt['2'].inputs).toMatchObject({ resize_type: 'scale dimensions', 'resize_type.width': 800, 'resize_type.height': 480 });
	});

	it('turns sampling off without stale sub-inputs, and keeps the advanced flag of V3 inputs', () => {
		const m = form();
		const off = applyForm(prompt(), m, { '6.sampling_mode': 'off' }).prompt['6'].inputs;
		expect(off.sampling_mode).toBe('off');
		expect(keysUnder(off, 'sampling_mode')).toEqual([]);
		expect(off.thinking).toBe(false);
		expect(field(m, '6.use_default_template').advanced).toBe(true);
		expect(field(m, '6.sampling_mode.seed@on')).toMatchObject({ kind: 'int', default: 7, label: 'Seed' });
	});

	it('names an option key the server does not list instead of sending it (the server would fail at run time)', () => {
		const p = prompt();
		p['2'].inputs.resize_type = 'scale sideways';
		const m = buildForm(p, objectInfo);
		expect(validateValues(m, {})['2.resize_type']).toMatch(/not one of the choices/);
	});

	it('puts a server error on a dotted input on the field of the chosen option', () => {
		const m = form();
		const errors = { '2': { errors: [{ type: 'value_bigger_than_max', message: 'Value too big', details: 'width', extra_info: { input_name: 'resize_type.width' } }], dependent_outputs: [], class_type: 'ResizeImageMaskNode' } };
		expect(Object.keys(mapNodeErrors(errors, m, { '2.resize_type': 'scale width' }).byField)).toEqual(['2.resize_type.width@scale width']);
		expect(Object.keys(mapNodeErrors(errors, m).byField)).toEqual(['2.resize_type.width@scale dimensions']);
	});

	it('moves sub-fields with their combo in curation, and hides them with it', () => {
		const m = form();
		const moved = applyCuration(m, { order: ['2.resize_type', '1.image'] });
		expect(moved.fields.slice(0, 2).map((f) => f.id)).toEqual(['2.resize_type', '2.resize_type.width@scale dimensions']);
		const hidden = applyCuration(m, { hidden: ['2.resize_type'] });
		expect(hidden.fields.some((f) => f.id.startsWith('2.resize_type'))).toBe(false);
	});
});

describe('autogrow, multiselect and unknown widgets in the form', () => {
	it('makes a list of widget entries: linked ones stay, set ones can be added and removed', () => {
		const m = form();
		expect(field(m, '5.floats')).toMatchObject({ kind: 'entries', default: [1], entries: { linked: [0], min: 0, max: 20 } });
		expect(field(m, '5.floats').entries?.names.slice(0, 3)).toEqual(['u_float0', 'u_float1', 'u_float2']);
		expect(field(m, '5.floats.u_float1')).toMatchObject({ kind: 'float', default: 0.5, entry: { list: '5.floats', ordinal: 1 } });
		// Image entries are sockets: no list.
		expect(m.fields.some((f) => f.id === '5.images')).toBe(false);
		const added = applyForm(prompt(), m, { '5.floats': [1, 2], '5.floats.u_float2': 0.75 }).prompt['5'].inputs;
		expect(added).toMatchObject({ 'floats.u_float0': ['4', 0], 'floats.u_float1': 0.5, 'floats.u_float2': 0.75, 'images.image0': ['1', 0] });
		const removed = applyForm(prompt(), m, { '5.floats': [] }).prompt['5'].inputs;
		expect(keysUnder(removed, 'floats')).toEqual(['floats.u_float0']);
		expect(validateValues(m, { '5.floats': Array.from({ length: 20 }, (_, i) => i) })['5.floats']).toMatch(/at most 20/);
	});

	it('shows a curve as a read-only value and sends it untouched', () => {
		const m = form();
		expect(field(m, '7.curve')).toMatchObject({ kind: 'raw', advanced: true });
		const sent = applyForm(prompt(), m, { '7.curve': 'something else' }).prompt['7'].inputs;
		expect(sent.curve).toEqual(prompt()['7'].inputs.curve);
	});

	it('makes a V3 multiselect COMBO a multi-choice field, sent wrapped as the frontend sends lists', () => {
		const info: ObjectInfo = {
			...objectInfo,
			Tagger: { input: { required: { tags: ['COMBO', { multiselect: true, options: ['a', 'b', 'c'] }] } }, output: [], name: 'Tagger', output_node: true }
		};
		const p: ApiPrompt = { '1': { class_type: 'Tagger', inputs: { tags: { __value__: ['b'] } } } };
		const m = buildForm(p, info);
		expect(field(m, '1.tags')).toMatchObject({ kind: 'multiselect', default: ['b'], options: ['a', 'b', 'c'] });
		expect(applyForm(p, m, { '1.tags': ['c', 'a'] }).prompt['1'].inputs.tags).toEqual({ __value__: ['c', 'a'] });
		expect(validateValues(m, { '1.tags': ['z'] })['1.tags']).toMatch(/not one of the choices/);
	});
});

describe('applyForm follows the server\'s expansion rule (property)', () => {
	const resize = dynamicComboOptions(objectInfo.ResizeImageMaskNode.input.required!.resize_type as InputSpec)!;
	const sampling = dynamicComboOptions(objectInfo.TextGenerate.input.required!.sampling_mode as InputSpec)!;
	const widgetChildren = (options: typeof resize, key: string, name: string) =>
		(options.find((o) => o.key === key)?.inputs ?? []).filter((c) => !['IMAGE,MASK'].includes(String(c.spec[0]))).map((c) => `${name}.${c.key}`).sort();

	type Step = { kind: 'resize'; key: string } | { kind: 'sampling'; key: string } | { kind: 'child'; at: number; value: number } | { kind: 'floats'; ordinals: number[] };
	const step: fc.Arbitrary<Step> = fc.oneof(
		fc.constantFrom(...resize.map((o) => o.key)).map((key) => ({ kind: 'resize' as const, key })),
		fc.constantFrom(...sampling.map((o) => o.key)).map((key) => ({ kind: 'sampling' as const, key })),
		fc.record({ kind: fc.constant('child' as const), at: fc.nat(), value: fc.integer({ min: 1, max: 4096 }) }),
		fc.uniqueArray(fc.integer({ min: 1, max: 19 }), { maxLength: 19 }).map((ordinals) => ({ kind: 'floats' as const, ordinals }))
	);

	it('any sequence of choices and entry changes sends the combo key, exactly the active option\'s keys, no stale ones', () => {
		const m = form();
		fc.assert(
			fc.property(fc.array(step, { maxLength: 25 }), (steps) => {
				const values: Record<string, unknown> = {};
				for (const s of steps) {
					if (s.kind === 'resize') values['2.resize_type'] = s.key;
					else if (s.kind === 'sampling') values['6.sampling_mode'] = s.key;
					else if (s.kind === 'floats') values['5.floats'] = s.ordinals;
					else {
						const live = m.fields.filter((f) => activeIds(m, values).has(f.id) && f.parent && f.kind === 'int');
						const f = live[s.at % Math.max(1, live.length)];
						if (f) values[f.id] = Math.min(f.max ?? s.value, Math.max(f.min ?? s.value, s.value));
					}
				}
				const out = applyForm(prompt(), m, values).prompt;
				const r = out['2'].inputs;
				const chosen = String(values['2.resize_type'] ?? 'scale dimensions');
				expect(r.resize_type).toBe(chosen);
				expect(keysUnder(r, 'resize_type').sort()).toEqual(widgetChildren(resize, chosen, 'resize_type'));
				const t = out['6'].inputs;
				const mode = String(values['6.sampling_mode'] ?? 'on');
				expect(t.sampling_mode).toBe(mode);
				expect(keysUnder(t, 'sampling_mode').sort()).toEqual(widgetChildren(sampling, mode, 'sampling_mode'));
				const floats = ((values['5.floats'] as number[] | undefined) ?? [1]).map((i) => `floats.u_float${i}`);
				expect(keysUnder(out['5'].inputs, 'floats').sort()).toEqual(['floats.u_float0', ...floats].sort());
				expect(out['5'].inputs['floats.u_float0']).toEqual(['4', 0]);
				for (const [key, value] of Object.entries(r)) if (key.startsWith('resize_type.')) expect(typeof value === 'number' || typeof value === 'string').toBe(true);
				expect(validateValues(m, values)).toEqual({});
			}),
			{ numRuns: 300 }
		);
	});
});
