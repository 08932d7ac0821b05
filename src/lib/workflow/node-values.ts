// The widget inputs of one flattened node as the prompt gets them: saved values placed on today's widget slots
// (realign.ts; V3 dynamic combos expanded by v3-inputs.ts), defaults for what the save lacks, promoted values from
// a subgraph instance applied, every doubt reported by node title with the inputs it concerns.
import type { ApiInputValue, NodeDef } from '../comfy/types';
import type { ConvertIssue } from './types';
import type { FlatNode } from './graph';
import { placeValues, slotDefault } from './realign';

export const SCHEMA_CHANGED = 'this node changed since the workflow was saved';

/** A constant as the API wants it: arrays wrapped so the server does not read them as links. */
export function apiValue(value: unknown): ApiInputValue {
	if (Array.isArray(value)) return { __value__: value };
	return value as ApiInputValue;
}

/** The saved node's inputs: name → whether it carries a widget (the saving frontend drew one). */
export function savedInputs(node: FlatNode): Map<string, boolean> {
	const m = new Map<string, boolean>();
	for (const input of node.inputs) {
		m.set(input.name, input.widget !== undefined);
		if (input.widget !== undefined) m.set(input.widget, true);
	}
	return m;
}

export function widgetInputs(node: FlatNode, def: NodeDef, title: string, issues: ConvertIssue[]): Record<string, ApiInputValue> {
	const wv = node.widgetsValues;
	const placement = placeValues(def, wv, savedInputs(node), node.overrides);
	const inputs: Record<string, ApiInputValue> = {};
	const defaulted: string[] = [];
	const at = { nodeId: node.id, nodeTitle: title };
	placement.slots.forEach((slot, i) => {
		if (slot.role !== 'value') return;
		let v = node.overrides?.has(slot.name) ? node.overrides.get(slot.name) : placement.values[i];
		if (v === undefined || v === null) {
			v = slotDefault(slot);
			if (!node.overrides?.has(slot.name)) defaulted.push(slot.name);
		}
		if (v !== undefined) inputs[slot.name] = apiValue(v);
	});
	const saved = Array.isArray(wv) ? [...wv] : undefined;
	const issue = placement.issue;
	if (issue?.kind === 'schema-changed') {
		issues.push({
			...at,
			severity: 'warning',
			kind: 'schema-changed',
			inputNames: issue.inputNames,
			...(saved ? { saved } : {}),
			message: `"${title}": ${SCHEMA_CHANGED} (${node.type}): ${issue.message}`
		});
		return inputs;
	}
	if (issue?.kind === 'realigned') {
		issues.push({ ...at, severity: 'warning', kind: 'realigned', inputNames: issue.inputNames, ...(saved ? { saved } : {}), message: `"${title}" (${node.type}) changed since the workflow was saved: ${issue.message} Check its settings.` });
	}
	const realignedNew = new Set(issue?.kind === 'realigned' ? issue.inputNames : []);
	const reallyDefaulted = defaulted.filter((n) => !realignedNew.has(n));
	// Trailing nulls are frontend-only widgets (previews) that save nothing; anything else is version skew.
	const slots = placement.slots.length;
	if (Array.isArray(wv) && !issue && wv.slice(slots).some((v) => v !== null)) {
		issues.push({
			...at,
			severity: 'warning',
			kind: 'extra-values',
			message: `"${title}" stores ${wv.length} widget values but "${node.type}" takes ${slots} today; the extra values were ignored. Check its settings.`
		});
	}
	if (reallyDefaulted.length > 0) {
		issues.push({
			...at,
			severity: 'warning',
			kind: 'defaulted',
			inputNames: reallyDefaulted,
			message: `"${title}" has no saved value for ${reallyDefaulted.join(', ')} (saved by an older ComfyUI); the server's default was used.`
		});
	}
	return inputs;
}
