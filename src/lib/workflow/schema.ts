// Shape checks for untrusted workflow JSON: each failure names what is wrong and where, so the user can be told.
import type { ApiPrompt } from '../comfy/types';
import type { UiWorkflow } from './types';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function looksLikeUiWorkflow(v: unknown): boolean {
	return isObject(v) && Array.isArray(v.nodes);
}

export function looksLikeApiPrompt(v: unknown): boolean {
	if (!isObject(v)) return false;
	const entries = Object.values(v);
	return entries.length > 0 && entries.every((n) => isObject(n) && 'class_type' in n);
}

function checkNodes(nodes: unknown, where: string, needId = true): string | undefined {
	if (!Array.isArray(nodes)) return `${where}nodes is not a list.`;
	for (let i = 0; i < nodes.length; i++) {
		const n: unknown = nodes[i];
		const at = `${where}nodes[${i}]`;
		if (!isObject(n)) return `${at} is not a node object.`;
		if (needId && typeof n.id !== 'number' && typeof n.id !== 'string') return `${at} has no id.`;
		if (typeof n.type !== 'string') return `${at} (id ${String(n.id)}) has no type.`;
		if (n.inputs !== undefined && n.inputs !== null && !Array.isArray(n.inputs)) return `${at} (id ${n.id}): inputs is not a list.`;
		if (Array.isArray(n.inputs) && n.inputs.some((x) => !isObject(x))) return `${at} (id ${n.id}): an input is not an object.`;
		if (n.outputs !== undefined && n.outputs !== null && !Array.isArray(n.outputs)) return `${at} (id ${n.id}): outputs is not a list.`;
		if (Array.isArray(n.outputs) && n.outputs.some((x) => !isObject(x))) return `${at} (id ${n.id}): an output is not an object.`;
		const wv = n.widgets_values;
		if (wv !== undefined && wv !== null && !Array.isArray(wv) && !isObject(wv)) {
			return `${at} (id ${n.id}): widgets_values is neither a list nor an object.`;
		}
	}
	return undefined;
}

function checkLinks(links: unknown, where: string): string | undefined {
	if (links === undefined) return undefined;
	if (!Array.isArray(links)) return `${where}links is not a list.`;
	for (let i = 0; i < links.length; i++) {
		const l: unknown = links[i];
		if (l === null) continue;
		const ok = Array.isArray(l) ? l.length >= 5 && typeof l[0] === 'number' : isObject(l) && typeof l.id === 'number';
		if (!ok) return `${where}links[${i}] is not a link (expected [id, from, slot, to, slot, type] or {id, origin_id, …}).`;
	}
	return undefined;
}

/** undefined when the value has the shape of a UI workflow, else what is wrong and where. */
export function checkUiWorkflow(v: unknown): string | undefined {
	if (!isObject(v)) return 'The workflow is not a JSON object.';
	const top = checkNodes(v.nodes, '') ?? checkLinks(v.links, '');
	if (top) return `Invalid workflow: ${top}`;
	const defs = isObject(v.definitions) ? v.definitions.subgraphs : undefined;
	if (defs !== undefined && !Array.isArray(defs)) return 'Invalid workflow: definitions.subgraphs is not a list.';
	for (const [i, d] of (Array.isArray(defs) ? defs : []).entries()) {
		const at = `definitions.subgraphs[${i}].`;
		if (!isObject(d) || typeof d.id !== 'string') return `Invalid workflow: ${at}id is missing.`;
		const err = checkNodes(d.nodes, at) ?? checkLinks(d.links, at);
		if (err) return `Invalid workflow: ${err}`;
	}
	const extra = v.extra;
	if (extra !== undefined && extra !== null && !isObject(extra)) return 'Invalid workflow: extra is not an object.';
	const groups = isObject(extra) ? extra.groupNodes : undefined;
	if (groups !== undefined && !isObject(groups)) return 'Invalid workflow: extra.groupNodes is not an object.';
	for (const [name, g] of Object.entries(isObject(groups) ? groups : {})) {
		const at = `extra.groupNodes["${name}"].`;
		if (!isObject(g)) return `Invalid workflow: ${at.slice(0, -1)} is not an object.`;
		const err = checkNodes(g.nodes, at, false);
		if (err) return `Invalid workflow: ${err}`;
		if (g.links !== undefined && !Array.isArray(g.links)) return `Invalid workflow: ${at}links is not a list.`;
	}
	return undefined;
}

export function asUiWorkflow(v: unknown): UiWorkflow {
	const w = v as UiWorkflow;
	return Array.isArray(w.links) ? w : { ...w, links: [] };
}

/** undefined when the value is a well-formed API prompt, else what is wrong and where. */
export function checkApiPrompt(v: unknown): string | undefined {
	if (!isObject(v)) return 'The prompt is not a JSON object.';
	const ids = Object.keys(v);
	if (ids.length === 0) return 'The prompt has no nodes.';
	for (const id of ids) {
		const n = v[id];
		if (!isObject(n)) return `Invalid prompt: node "${id}" is not an object.`;
		if (typeof n.class_type !== 'string') return `Invalid prompt: node "${id}" has no class_type.`;
		if (!isObject(n.inputs)) return `Invalid prompt: node "${id}" (${n.class_type}) has no inputs object.`;
	}
	return undefined;
}

export function asApiPrompt(v: unknown): ApiPrompt {
	return v as ApiPrompt;
}
