// Form values → API prompt: each field's value written into a copy of the prompt (links are never overwritten),
// dynamic prompts resolved as the frontend does at queue time, seeds sent as shown.
import type { ApiPrompt } from '../comfy/types';
import type { ApplyOptions, ApplyResult, Field, FormModel } from './types';
import { jsonClone } from './clone';
import { processDynamicPrompt } from './dynamic-prompts';
import { activeIds, valueOf } from './form-active';
import { isLink } from './form-v3';

/** A value as the field's kind wants it: numbers from numeric text, booleans from "true"/"false". */
export function coerceValue(field: Field, value: unknown): unknown {
	switch (field.kind) {
		case 'int':
		case 'seed':
		case 'float': {
			const n = typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)) ? Number(value) : value;
			return field.kind === 'float' && typeof n === 'number' && field.round ? roundTo(n, field.round) : n;
		}
		case 'boolean':
			if (value === 'true') return true;
			if (value === 'false') return false;
			return value;
		default:
			return value;
	}
}

/** A float on the spec's rounding grid (cfg 7.300000001 → 7.3), as the frontend's number widget stores it. */
function roundTo(value: number, round: number): number {
	if (!Number.isFinite(value) || round <= 0) return value;
	const decimals = Math.max(0, Math.ceil(-Math.log10(round)));
	return Number((Math.round(value / round) * round).toFixed(Math.min(decimals, 20)));
}

/**
 * The prompt with the form's values. V3 inputs follow the server's expansion rule (comfy_api _io
 * get_finalized_class_inputs): a dynamic combo's key is always sent, with exactly the dotted sub-inputs of the
 * chosen option (none of another option's); an autogrow group sends its linked entries and the entries in its list.
 * A read-only (`raw`) value is sent as the workflow has it.
 */
export function applyForm(prompt: ApiPrompt, model: FormModel, values: Record<string, unknown>, opts: ApplyOptions = {}): ApplyResult {
	const random = opts.random ?? Math.random;
	const out = jsonClone(prompt);
	const resolved: Record<string, unknown> = {};
	const active = activeIds(model, values);
	const reshaped = pruneV3(prompt, out, model, values, active);
	for (const field of model.fields) {
		if (!active.has(field.id) || field.kind === 'entries' || field.kind === 'raw') continue;
		const node = out[field.nodeId];
		if (!node?.inputs) continue;
		const owned = field.parent !== undefined || field.entry !== undefined;
		if (!owned && !Object.hasOwn(node.inputs, field.input)) continue;
		const current = node.inputs[field.input];
		if (isLink(current) || (field.kind !== 'multiselect' && current !== null && typeof current === 'object')) continue;
		let value = coerceValue(field, valueOf(field, values));
		if (field.dynamicPrompts && typeof value === 'string') value = processDynamicPrompt(value, random);
		if (field.kind === 'multiselect' && Array.isArray(value)) {
			node.inputs[field.input] = { __value__: value.map(String) };
			resolved[field.id] = value;
			continue;
		}
		if (value === undefined || (value !== null && typeof value === 'object')) continue;
		node.inputs[field.input] = value as string | number | boolean | null;
		resolved[field.id] = value;
	}
	// Dynamic texts the curated form does not show still go out resolved.
	const byId = new Map(model.fields.map((f) => [f.id, f]));
	for (const id of model.dynamicPrompts ?? []) {
		if (Object.hasOwn(resolved, id) || byId.has(id) || id.includes('@')) continue;
		const dot = id.indexOf('.');
		const inputs = out[id.slice(0, dot)]?.inputs;
		const text = inputs?.[id.slice(dot + 1)];
		if (typeof text !== 'string') continue;
		inputs[id.slice(dot + 1)] = resolved[id] = processDynamicPrompt(text, random);
	}
	for (const nodeId of reshaped) out[nodeId].inputs = ordered(out[nodeId].inputs, model, nodeId);
	return { prompt: out, resolved };
}

/**
 * Removes what the chosen values no longer send: the sub-inputs of a dynamic combo whose option changed (or that
 * is itself out), and autogrow constants that left their list. Links stay unless their option went away.
 * Returns the ids of the nodes it touched.
 */
function pruneV3(saved: ApiPrompt, out: ApiPrompt, model: FormModel, values: Record<string, unknown>, active: Set<string>): Set<string> {
	const touched = new Set<string>();
	const entryInputs = new Map<string, Set<string>>();
	for (const f of model.fields) {
		if (f.entry && active.has(f.id)) entryInputs.set(f.entry.list, (entryInputs.get(f.entry.list) ?? new Set()).add(f.input));
	}
	for (const field of model.fields) {
		const inputs = out[field.nodeId]?.inputs;
		if (!inputs || (!field.dynamic && field.kind !== 'entries')) continue;
		touched.add(field.nodeId);
		const prefix = `${field.input}.`;
		if (field.dynamic) {
			const kept = active.has(field.id) && String(valueOf(field, values)) === String(saved[field.nodeId]?.inputs?.[field.input]);
			if (kept) continue;
			for (const key of Object.keys(inputs)) if (key.startsWith(prefix)) delete inputs[key];
			if (!active.has(field.id)) delete inputs[field.input];
			continue;
		}
		const listed = entryInputs.get(field.id) ?? new Set<string>();
		for (const key of Object.keys(inputs)) {
			if (key.startsWith(prefix) && !isLink(inputs[key]) && !listed.has(key)) delete inputs[key];
		}
	}
	return touched;
}

/** A node's inputs with each dynamic combo's sub-inputs right after it, as the frontend lays them out. */
function ordered(inputs: ApiPrompt[string]['inputs'], model: FormModel, nodeId: string): ApiPrompt[string]['inputs'] {
	const combos = new Set(model.fields.filter((f) => f.nodeId === nodeId && f.dynamic).map((f) => f.input));
	const out: ApiPrompt[string]['inputs'] = {};
	const emit = (key: string): void => {
		if (Object.hasOwn(out, key)) return;
		out[key] = inputs[key];
		if (combos.has(key)) for (const k of Object.keys(inputs)) if (k.startsWith(`${key}.`)) emit(k);
	};
	for (const key of Object.keys(inputs)) emit(key);
	return out;
}
