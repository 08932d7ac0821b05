// UI → API conversion, as the official frontend's graphToPrompt does it (§4.3). Returns issues by node title
// instead of guessing: a class the server lacks is an error, a widget-count skew a warning with defaults filled.
// Text goes out as saved: dynamic prompts ({a|b}, comments) are resolved by applyForm at run time, so converting
// the same workflow twice gives the same prompt.
import type { ApiInputValue, ApiPrompt, NodeDef, ObjectInfo } from '../comfy/types';
import type { ConvertIssue, ConvertResult, UiWorkflow } from './types';
import { type FlatGraph, type FlatNode, MODE_BYPASS, MODE_MUTED, VIRTUAL_TYPES } from './graph';
import { flattenWorkflow } from './flatten';
import { resolveLink } from './links';
import { asUiWorkflow, checkUiWorkflow } from './schema';
import { type WidgetSlot, specDefault, specType, widgetSlots } from './widgets';

export function convertToApi(workflow: UiWorkflow, objectInfo: ObjectInfo): ConvertResult {
	try {
		return convert(workflow, objectInfo);
	} catch (err) {
		return { ok: false, error: `The workflow could not be converted: ${err instanceof Error ? err.message : String(err)}`, issues: [] };
	}
}

function convert(workflow: UiWorkflow, objectInfo: ObjectInfo): ConvertResult {
	const shapeError = checkUiWorkflow(workflow);
	if (shapeError) return { ok: false, error: shapeError, issues: [] };
	const { graph, issues } = flattenWorkflow(asUiWorkflow(workflow), objectInfo);
	const prompt: ApiPrompt = {};
	const linked = linkedNodes(graph);

	for (const node of graph.nodes.values()) {
		if (node.mode === MODE_MUTED || node.mode === MODE_BYPASS || VIRTUAL_TYPES.has(node.type)) continue;
		const def = Object.hasOwn(objectInfo, node.type) ? objectInfo[node.type] : undefined;
		const title = nodeTitle(node, def);
		if (!def) {
			issues.push(missingClass(node, title, linked));
			continue;
		}
		const inputs = widgetInputs(node, def, title, issues);
		for (const input of node.inputs) {
			if (input.link === null) continue;
			const r = resolveLink(graph, input.link, input.type);
			const name = input.widget ?? input.name;
			if (r.kind === 'link') inputs[name] = [r.origin, r.slot];
			else if (r.kind === 'constant') inputs[name] = apiValue(r.value);
		}
		prompt[node.id] = { inputs, class_type: node.type, _meta: { title } };
	}

	// Links to nodes that are not sent (muted, missing) would make the server reject the prompt.
	for (const entry of Object.values(prompt)) {
		for (const [name, value] of Object.entries(entry.inputs)) {
			if (isLink(value) && !Object.hasOwn(prompt, value[0])) delete entry.inputs[name];
		}
	}

	const errors = issues.filter((i) => i.severity === 'error');
	if (errors.length > 0) {
		const names = [...new Set(errors.map((e) => `"${e.nodeTitle}"`))].join(', ');
		return { ok: false, error: `This workflow cannot run on this server: ${names}. ${errors[0].message}`, issues };
	}
	if (Object.keys(prompt).length === 0) {
		return { ok: false, error: 'There is nothing to run: the workflow has no nodes, or all of them are muted, bypassed or notes.', issues };
	}
	return { ok: true, prompt, issues };
}

/** Ids of the nodes some link touches (as origin or as target). */
function linkedNodes(graph: FlatGraph): Set<string> {
	const ids = new Set<string>();
	for (const link of graph.links.values()) if ('origin' in link) ids.add(link.origin);
	for (const node of graph.nodes.values()) if (node.inputs.some((i) => i.link !== null && graph.links.has(i.link))) ids.add(node.id);
	return ids;
}

/**
 * A class the server lacks: an error when the node is wired into the graph; a warning when nothing connects to
 * it, as frontend-only helper nodes of extensions (labels, group togglers) have no server class either.
 */
function missingClass(node: FlatNode, title: string, linked: Set<string>): ConvertIssue {
	const wired = linked.has(node.id);
	return {
		severity: wired ? 'error' : 'warning',
		nodeId: node.id,
		nodeTitle: title,
		message: wired
			? `"${title}" needs the node class "${node.type}", which this server does not have (a missing custom node or an older ComfyUI).`
			: `"${title}" (${node.type}) is not a node this server knows and nothing is connected to it; it was left out.`
	};
}

export function nodeTitle(node: FlatNode, def: NodeDef | undefined): string {
	return node.title ?? def?.display_name ?? node.type;
}

function isLink(value: unknown): value is [string, number] {
	return Array.isArray(value) && value.length === 2 && typeof value[0] === 'string' && typeof value[1] === 'number';
}

/** A constant as the API wants it: arrays wrapped so the server does not read them as links. */
export function apiValue(value: unknown): ApiInputValue {
	if (Array.isArray(value)) return { __value__: value };
	return value as ApiInputValue;
}

/** Whether a saved value has the kind its widget takes (a number for INT/FLOAT, text for STRING…). */
function fitsSpec(slot: WidgetSlot, v: unknown): boolean {
	switch (specType(slot.spec)) {
		case 'INT':
		case 'FLOAT':
			return typeof v === 'number';
		case 'BOOLEAN':
			return typeof v === 'boolean';
		case 'STRING':
			return typeof v === 'string';
		case 'COMBO':
			return typeof v === 'string' || typeof v === 'number';
		default:
			return true;
	}
}

function widgetInputs(node: FlatNode, def: NodeDef, title: string, issues: ConvertIssue[]): Record<string, ApiInputValue> {
	const slots = widgetSlots(def);
	const inputs: Record<string, ApiInputValue> = {};
	const wv = node.widgetsValues;
	const defaulted: string[] = [];
	const valueOf = (slot: WidgetSlot, i: number): unknown => {
		if (node.overrides?.has(slot.name)) return node.overrides.get(slot.name);
		const v = Array.isArray(wv) ? wv[i] : wv && typeof wv === 'object' ? wv[slot.name] : undefined;
		if (v !== undefined && v !== null) return v;
		defaulted.push(slot.name);
		return specDefault(slot.spec);
	};
	const misfits: string[] = [];
	slots.forEach((slot, i) => {
		if (slot.role !== 'value') return;
		const v = valueOf(slot, i);
		if (v !== undefined) inputs[slot.name] = apiValue(v);
		if (!fitsSpec(slot, v)) misfits.push(`${slot.name} = ${JSON.stringify(v)?.slice(0, 40)}`);
	});
	if (misfits.length > 0) {
		issues.push({
			severity: 'warning',
			nodeId: node.id,
			nodeTitle: title,
			message: `"${title}" has values of the wrong kind (${misfits.join('; ')}): its saved values may not line up with today's "${node.type}". Check its settings.`
		});
	}
	// Trailing nulls are frontend-only widgets (previews) that save nothing; anything else is version skew.
	if (Array.isArray(wv) && wv.slice(slots.length).some((v) => v !== null)) {
		issues.push({
			severity: 'warning',
			nodeId: node.id,
			nodeTitle: title,
			message: `"${title}" stores ${wv.length} widget values but "${node.type}" takes ${slots.length} today; the extra values were ignored. Check its settings.`
		});
	}
	if (defaulted.length > 0) {
		issues.push({
			severity: 'warning',
			nodeId: node.id,
			nodeTitle: title,
			message: `"${title}" has no saved value for ${defaulted.join(', ')} (saved by an older ComfyUI); the server's default was used.`
		});
	}
	return inputs;
}
