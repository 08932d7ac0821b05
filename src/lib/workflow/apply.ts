// Form values → API prompt: each field's value written into a copy of the prompt (links are never overwritten),
// dynamic prompts resolved as the frontend does at queue time, seeds sent as shown.
import type { ApiPrompt } from '../comfy/types';
import type { ApplyOptions, ApplyResult, Field, FormModel } from './types';
import { jsonClone } from './clone';
import { processDynamicPrompt } from './dynamic-prompts';

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

export function applyForm(prompt: ApiPrompt, model: FormModel, values: Record<string, unknown>, opts: ApplyOptions = {}): ApplyResult {
	const random = opts.random ?? Math.random;
	const out = jsonClone(prompt);
	const resolved: Record<string, unknown> = {};
	for (const field of model.fields) {
		const node = out[field.nodeId];
		if (!node?.inputs || !Object.hasOwn(node.inputs, field.input)) continue;
		const current = node.inputs[field.input];
		if (current !== null && typeof current === 'object') continue;
		let value = coerceValue(field, Object.hasOwn(values, field.id) ? values[field.id] : field.default);
		if (field.dynamicPrompts && typeof value === 'string') value = processDynamicPrompt(value, random);
		if (value === undefined || (value !== null && typeof value === 'object')) continue;
		node.inputs[field.input] = value as string | number | boolean | null;
		resolved[field.id] = value;
	}
	// Dynamic texts the curated form does not show still go out resolved.
	for (const id of model.dynamicPrompts ?? []) {
		if (Object.hasOwn(resolved, id)) continue;
		const dot = id.lastIndexOf('.');
		const inputs = out[id.slice(0, dot)]?.inputs;
		const text = inputs?.[id.slice(dot + 1)];
		if (typeof text !== 'string') continue;
		inputs[id.slice(dot + 1)] = resolved[id] = processDynamicPrompt(text, random);
	}
	return { prompt: out, resolved };
}
