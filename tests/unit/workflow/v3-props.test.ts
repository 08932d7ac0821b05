// Properties of the V3 conversion on random definitions: a dynamic combo's positional values come out under the
// combo key and its dotted sub-inputs, the values after it unshifted; autogrow sends exactly its linked entries; a
// widget of a type nobody knows never shifts the values after it; conversion never throws.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { InputSpec, NodeDef, ObjectInfo } from '../../../src/lib/comfy/types';
import { convertToApi } from '../../../src/lib/workflow/convert';
import type { UiNode, UiWorkflow } from '../../../src/lib/workflow/types';

const name = fc.stringMatching(/^[a-z][a-z0-9_]{0,7}$/);

/** A scalar input spec and a value arbitrary that fits it. */
const scalar: fc.Arbitrary<{ spec: InputSpec; value: fc.Arbitrary<unknown> }> = fc.oneof(
	fc.integer({ min: -50, max: 50 }).map((min) => ({ spec: ['INT', { default: min, min, max: min + 100 }] as InputSpec, value: fc.integer({ min, max: min + 100 }) })),
	fc.constant({ spec: ['FLOAT', { default: 0.5, min: 0, max: 1 }] as InputSpec, value: fc.double({ min: 0, max: 1, noNaN: true }) }),
	fc.constant({ spec: ['STRING', { default: '' }] as InputSpec, value: fc.string({ maxLength: 12 }) }),
	fc.constant({ spec: ['BOOLEAN', { default: false }] as InputSpec, value: fc.boolean() }),
	fc.uniqueArray(name, { minLength: 1, maxLength: 4 }).map((options) => ({ spec: ['COMBO', { options }] as InputSpec, value: fc.constantFrom(...options) }))
);

interface ComboCase {
	def: NodeDef;
	values: unknown[];
	expected: Record<string, unknown>;
}

/** A node `lead` (STRING), `mode` (dynamic combo, one option chosen with its children's values), `after` (INT). */
const dynamicComboCase: fc.Arbitrary<ComboCase> = fc
	.uniqueArray(name, { minLength: 1, maxLength: 4 })
	.chain((keys) =>
		fc.tuple(
			fc.constant(keys),
			fc.array(fc.tuple(fc.uniqueArray(name, { maxLength: 4 }), fc.array(scalar, { minLength: 4, maxLength: 4 }), fc.integer({ min: 0, max: 4 })), { minLength: keys.length, maxLength: keys.length }),
			fc.nat({ max: keys.length - 1 })
		)
	)
	.chain(([keys, options, chosen]) => {
		const [childNames, specs, required] = options[chosen];
		const children = childNames.map((child, i) => ({ child, ...specs[i], optional: i >= required }));
		return fc.tuple(fc.string({ maxLength: 8 }), fc.tuple(...children.map((c) => c.value)), fc.integer({ min: 0, max: 9 })).map(([lead, childValues, after]) => {
			const spec: InputSpec = [
				'COMFY_DYNAMICCOMBO_V3',
				{
					options: keys.map((key, k) => {
						const [names, s, req] = options[k];
						const section = (opt: boolean) => Object.fromEntries(names.flatMap((n, i) => ((i >= req) === opt ? [[n, s[i].spec]] : [])));
						return { key, inputs: { required: section(false), optional: section(true) } };
					})
				}
			];
			const def: NodeDef = { name: 'T', input: { required: { lead: ['STRING', {}], mode: spec, after: ['INT', { min: 0, max: 9 }] } }, output: [] };
			const ordered = [...children.filter((c) => !c.optional), ...children.filter((c) => c.optional)];
			const valueOf = new Map(children.map((c, i) => [c.child, childValues[i]]));
			const values = [lead, keys[chosen], ...ordered.map((c) => valueOf.get(c.child)), after];
			const expected: Record<string, unknown> = { lead, mode: keys[chosen], after };
			for (const c of ordered) expected[`mode.${c.child}`] = valueOf.get(c.child);
			return { def, values, expected };
		});
	});

const one = (def: NodeDef, node: Partial<UiNode>): { w: UiWorkflow; info: ObjectInfo } => ({
	w: { version: 0.4, nodes: [{ id: 1, type: def.name, ...node }], links: [] },
	info: { [def.name]: def }
});

describe('V3 conversion properties', () => {
	it('dynamic combo: positional values → combo key + dotted sub-inputs, the value after it unshifted', () => {
		fc.assert(
			fc.property(dynamicComboCase, fc.boolean(), ({ def, values, expected }, modernSave) => {
				const inputs = modernSave ? Object.keys(expected).map((n) => ({ name: n, type: 'X', widget: { name: n }, link: null })) : undefined;
				const { w, info } = one(def, { widgets_values: values, ...(inputs ? { inputs } : {}) });
				const r = convertToApi(w, info);
				if (!r.ok) throw new Error(r.error);
				expect(r.prompt['1'].inputs).toEqual(expected);
				expect(r.issues).toEqual([]);
			})
		);
	});

	it('autogrow: linked entries are sent under <group>.<name>, the trailing empty slot sends nothing', () => {
		const template = fc.oneof(
			fc.record({ prefix: name, min: fc.integer({ min: 0, max: 2 }), max: fc.integer({ min: 2, max: 6 }) }),
			fc.uniqueArray(name, { minLength: 2, maxLength: 6 }).map((names) => ({ names, min: 1 }))
		);
		fc.assert(
			fc.property(template, fc.integer({ min: 0, max: 6 }), (t, wanted) => {
				const max = 'names' in t ? t.names.length : t.max;
				const count = Math.min(wanted, max);
				const entry = (i: number) => `imgs.${'names' in t ? t.names[i] : `${t.prefix}${i}`}`;
				const def: NodeDef = { name: 'G', input: { required: { imgs: ['COMFY_AUTOGROW_V3', { template: { input: { required: { image: ['IMAGE', {}] } }, ...t } }] } }, output: [] };
				const source: NodeDef = { name: 'Src', input: {}, output: ['IMAGE'] };
				const inputs = Array.from({ length: Math.min(count + 1, max) }, (_, i) => ({ name: entry(i), type: 'IMAGE', link: i < count ? 100 + i : null }));
				const w: UiWorkflow = {
					version: 0.4,
					nodes: [{ id: 1, type: 'G', inputs }, { id: 2, type: 'Src', outputs: [{ name: 'IMAGE', type: 'IMAGE', links: inputs.filter((i) => i.link).map((i) => i.link as number) }] }],
					links: Array.from({ length: count }, (_, i) => [100 + i, 2, 0, 1, i, 'IMAGE'] as [number, number, number, number, number, string])
				};
				const r = convertToApi(w, { G: def, Src: source });
				if (!r.ok) throw new Error(r.error);
				expect(r.prompt['1'].inputs).toEqual(Object.fromEntries(Array.from({ length: count }, (_, i) => [entry(i), ['2', 0]])));
			})
		);
	});

	it('a widget of an unknown type never shifts the values after it (modern saves), nor silently (pre-1.16 saves)', () => {
		const unknownValue = fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.dictionary(name, fc.integer(), { maxKeys: 3 }));
		fc.assert(
			fc.property(fc.integer({ min: 0, max: 9 }), unknownValue, fc.integer({ min: 0, max: 9 }), fc.string({ maxLength: 6 }), fc.boolean(), (a, u, b, c, modernSave) => {
				const def: NodeDef = { name: 'U', input: { required: { model: ['MODEL', {}], a: ['INT', { min: 0, max: 9 }], fancy: ['SHINY_NEW_WIDGET', {}], b: ['INT', { min: 0, max: 9 }], c: ['STRING', {}] } }, output: [] };
				const model = { name: 'model', type: 'MODEL', link: null };
				const widgets = ['a', 'fancy', 'b', 'c'].map((n) => ({ name: n, type: 'X', widget: { name: n }, link: null }));
				const { w, info } = one(def, { inputs: modernSave ? [model, ...widgets] : [model], widgets_values: [a, u, b, c] });
				const r = convertToApi(w, info);
				if (!r.ok) throw new Error(r.error);
				const changed = r.issues.filter((i) => i.kind === 'schema-changed');
				if (modernSave) {
					// The save lists the unknown input as a widget: nothing to guess.
					expect(r.prompt['1'].inputs).toEqual({ a, fancy: u, b, c });
					expect(r.issues).toEqual([]);
					return;
				}
				// An older save does not say; the values either land right or the uncertain inputs are named.
				const sent = r.prompt['1'].inputs;
				const wrong = (['a', 'b', 'c'] as const).filter((k) => sent[k] !== { a, b, c }[k]);
				for (const k of wrong) expect(changed.flatMap((i) => i.inputNames ?? [])).toContain(k);
			})
		);
	});

	it('never throws, whatever the V3 specs and saved values', () => {
		const anySpec = fc.oneof(
			scalar.map((s) => s.spec),
			fc.tuple(fc.constantFrom('COMFY_DYNAMICCOMBO_V3', 'COMFY_AUTOGROW_V3', 'COMFY_MATCHTYPE_V3', 'CURVE', 'WHATEVER'), fc.anything())
		) as fc.Arbitrary<InputSpec>;
		fc.assert(
			fc.property(fc.dictionary(name, anySpec, { maxKeys: 5 }), fc.array(fc.anything(), { maxLength: 8 }), (required, values) => {
				const { w, info } = one({ name: 'R', input: { required }, output: [] }, { widgets_values: values });
				const r = convertToApi(w, info);
				if (!r.ok) expect(r.error).not.toContain('could not be converted');
			}),
			{ numRuns: 300 }
		);
	});
});
