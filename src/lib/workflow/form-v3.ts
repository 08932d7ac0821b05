// V3 inputs as form fields. A dynamic combo is one choice field followed by the sub-fields of every option (only
// the chosen option's are in effect, see form-active.ts), so switching options swaps them live and switching back
// finds what was typed, as the frontend keeps removed values per option (dynamicWidgets.ts). An autogrow group of
// widget values is a list field whose entries can be added and removed within min/max; linked entries stay as the
// graph has them. Ids: `${nodeId}.${input}`, plus `@option` for each option on the way, so the same sub-input of two
// options (`resize_type.width` of "scale dimensions" and of "scale width") are two fields.
import type { ApiInputValue, InputSpec } from '../comfy/types';
import type { Field, FieldKind } from './types';
import { specDefault, specOptions } from './input-spec';
import { autogrowEntryName, autogrowTemplate, dynamicComboOptions } from './v3-inputs';

/** Makes the plain field of one input (undefined when it is no field: a socket, a link). */
export type PlainMaker = (id: string | undefined, input: string, spec: InputSpec, value: unknown, label?: string, kind?: FieldKind) => Field | undefined;

/** Autogrow lists in the form hold at most this many entries (the server's own limit is the template's max). */
const MAX_FORM_ENTRIES = 64;
const MAX_DEPTH = 8;

export function isLink(v: unknown): v is [string, number] {
	return Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && typeof v[1] === 'number';
}

/**
 * The fields of input `input` (maybe dotted) of a prompt node, or undefined when its spec is not a V3 dynamic
 * combo or autogrow group. `inputs` are the prompt node's inputs, or {} below an option the prompt did not choose.
 */
export function v3Fields(nodeId: string, input: string, spec: InputSpec, inputs: Record<string, ApiInputValue>, make: PlainMaker, path = '', depth = 0): Field[] | undefined {
	if (depth > MAX_DEPTH) return [];
	const options = dynamicComboOptions(spec);
	if (options) return dynamicComboFields(nodeId, input, spec, options, inputs, make, path, depth);
	const template = autogrowTemplate(spec);
	if (template) return autogrowFields(nodeId, input, template, inputs, make, path);
	return undefined;
}

function dynamicComboFields(
	nodeId: string,
	input: string,
	spec: InputSpec,
	options: NonNullable<ReturnType<typeof dynamicComboOptions>>,
	inputs: Record<string, ApiInputValue>,
	make: PlainMaker,
	path: string,
	depth: number
): Field[] {
	const keys = options.map((o) => o.key);
	const o = specOptions(spec);
	const saved = inputs[input];
	if (isLink(saved)) return [];
	const fallback = keys.includes(String(o.default)) ? String(o.default) : keys[0];
	// A key this server does not list stays as it is, so the choice field shows it and validation names it.
	const chosen = saved === undefined || saved === null ? fallback : String(saved);
	const combo = make(`${nodeId}.${input}${path}`, input, ['COMBO', { ...o, options: keys, default: fallback }], chosen, undefined, 'combo');
	if (!combo) return [];
	combo.dynamic = true;
	const out: Field[] = [combo];
	for (const option of options) {
		const own = option.key === chosen ? inputs : {};
		const sub = `${path}@${option.key}`;
		for (const child of option.inputs) {
			const name = `${input}.${child.key}`;
			const nested = v3Fields(nodeId, name, child.spec, own, make, sub, depth + 1);
			const fields = nested ?? plainChild(make, `${nodeId}.${name}${sub}`, name, child.spec, own[name], child.key);
			for (const f of fields) {
				if (f.parent === undefined && f.entry === undefined) f.parent = { id: combo.id, option: option.key };
				out.push(f);
			}
		}
	}
	return out;
}

function plainChild(make: PlainMaker, id: string, name: string, spec: InputSpec, value: unknown, key: string): Field[] {
	if (isLink(value)) return [];
	const o = specOptions(spec);
	const label = typeof o.display_name === 'string' ? o.display_name : undefined;
	const field = make(id, name, spec, value === undefined ? specDefault(spec) : value, label ?? key);
	return field ? [field] : [];
}

function autogrowFields(
	nodeId: string,
	group: string,
	t: NonNullable<ReturnType<typeof autogrowTemplate>>,
	inputs: Record<string, ApiInputValue>,
	make: PlainMaker,
	path: string
): Field[] {
	const max = Math.min(t.max, MAX_FORM_ENTRIES);
	const listId = `${nodeId}.${group}${path}`;
	const entryFields: Field[] = [];
	const names: string[] = [];
	const linked: number[] = [];
	const set: number[] = [];
	for (let i = 0; i < max; i++) {
		const entryNames = t.inputs.map((c) => autogrowEntryName(group, t, i, c.key));
		names.push(t.inputs.length === 1 ? entryNames[0].slice(group.length + 1) : `${i + 1}`);
		if (entryNames.some((n) => isLink(inputs[n]))) {
			linked.push(i);
			continue;
		}
		if (entryNames.some((n) => inputs[n] !== undefined) || i < t.min) set.push(i);
		t.inputs.forEach((c, k) => {
			const name = entryNames[k];
			const label = name.slice(group.length + 1);
			const value = inputs[name] === undefined ? specDefault(c.spec) : inputs[name];
			const field = make(`${nodeId}.${name}${path}`, name, c.spec, value, label);
			if (field) entryFields.push({ ...field, entry: { list: listId, ordinal: i } });
		});
	}
	// Only groups of widget values are lists in the form; sockets (IMAGE…) are linked in the graph or not at all.
	if (entryFields.length === 0) return [];
	const list = make(listId, group, ['COMFY_AUTOGROW_V3', {}], set, undefined, 'entries');
	if (!list) return [];
	list.entries = { names, linked, min: t.min, max };
	return [list, ...entryFields];
}
