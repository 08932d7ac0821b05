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
import { apiValue, widgetInputs } from './node-values';

export { apiValue };

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

	// Pass 1: every node's own widget values (also of muted/bypassed nodes: a subgraph input left unconnected
	// stands for the value of the first inner widget it feeds, whatever that node's mode).
	const widgets = new Map<string, Record<string, ApiInputValue>>();
	for (const node of graph.nodes.values()) {
		if (VIRTUAL_TYPES.has(node.type)) continue;
		const def = Object.hasOwn(objectInfo, node.type) ? objectInfo[node.type] : undefined;
		if (!def) continue;
		const sent = node.mode !== MODE_MUTED && node.mode !== MODE_BYPASS;
		widgets.set(node.id, widgetInputs(node, def, nodeTitle(node, def), sent ? issues : []));
	}
	// Pass 2: the nodes sent, with their links resolved.
	for (const node of graph.nodes.values()) {
		if (node.mode === MODE_MUTED || node.mode === MODE_BYPASS || VIRTUAL_TYPES.has(node.type)) continue;
		const def = Object.hasOwn(objectInfo, node.type) ? objectInfo[node.type] : undefined;
		const title = nodeTitle(node, def);
		if (!def) {
			issues.push(missingClass(node, title, linked));
			continue;
		}
		const inputs = { ...widgets.get(node.id) };
		for (const input of node.inputs) {
			if (input.link === null) continue;
			const r = resolveLink(graph, input.link, input.type);
			const name = input.widget ?? input.name;
			if (r.kind === 'link') inputs[name] = [r.origin, r.slot];
			else if (r.kind === 'constant') inputs[name] = apiValue(r.value);
			else if (r.kind === 'widget') {
				const source = widgets.get(r.nodeId);
				if (source && Object.hasOwn(source, r.input)) inputs[name] = source[r.input];
			}
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
		kind: 'missing-class',
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
