// Export: the API prompt as JSON, and the UI workflow with its widgets_values updated from the prompt that ran,
// so a result reopens in desktop ComfyUI with the values that made it.
import type { ApiPrompt, ObjectInfo } from '../comfy/types';
import type { UiNode, UiWorkflow } from './types';
import { type FlatGraph, type FlatNode, linkRow } from './graph';
import { jsonClone } from './clone';
import { flattenWorkflow } from './flatten';
import { originNode } from './links';
import { asUiWorkflow, checkUiWorkflow } from './schema';
import { valueIndex, widgetSlots } from './widgets';

export function exportApiJson(prompt: ApiPrompt): string {
	return JSON.stringify(prompt, null, 2);
}

const CONTROL_VALUES = new Set(['fixed', 'increment', 'decrement', 'randomize', 'increment-wrap']);

const isConstant = (v: unknown): boolean => v === null || typeof v !== 'object';

/**
 * Writes the prompt's constant inputs back into the workflow (a copy): into each node's widgets_values, the
 * PrimitiveNode feeding a widget, a legacy group node's own list, a subgraph instance's promoted values, or the
 * subgraph definition for inner widgets that are not promoted. With objectInfo the widget positions come from the
 * node definitions and nested nodes are covered; without it only top-level nodes are updated, their widget
 * positions read from the prompt's input order (which the converter keeps in widget order).
 */
export function exportUiWorkflow(workflow: UiWorkflow, prompt: ApiPrompt, objectInfo?: ObjectInfo): UiWorkflow {
	const out = jsonClone(workflow);
	if (objectInfo && !checkUiWorkflow(out)) writeThroughGraph(flattenWorkflow(asUiWorkflow(out), objectInfo).graph, prompt, objectInfo);
	else if (Array.isArray(out?.nodes)) writeTopLevel(out, prompt);
	return out;
}

function writeThroughGraph(graph: FlatGraph, prompt: ApiPrompt, objectInfo: ObjectInfo): void {
	for (const [id, entry] of Object.entries(prompt)) {
		const node = graph.nodes.get(id);
		const def = entry && objectInfo[entry.class_type];
		if (!node || !def || !entry.inputs) continue;
		const positions = valueIndex(widgetSlots(def));
		for (const [name, value] of Object.entries(entry.inputs)) {
			if (isConstant(value) && positions.has(name)) writeWidget(graph, node, name, positions.get(name) as number, value);
		}
	}
}

function writeWidget(graph: FlatGraph, node: FlatNode, name: string, pos: number, value: unknown): void {
	const socket = node.inputs.find((i) => i.widget === name && i.link !== null);
	if (socket) {
		const link = socket.link === null ? undefined : graph.links.get(socket.link);
		if (link && 'via' in link && link.via === null) link.constant?.write(value);
		const source = originNode(graph, socket.link);
		if (source?.type === 'PrimitiveNode') setWidget(source, 'value', 0, value);
		return;
	}
	setWidget(node, name, pos, value);
}

function setWidget(node: FlatNode, name: string, pos: number, value: unknown): void {
	const write = node.writers?.get(name);
	if (write) write(value);
	else if (Array.isArray(node.widgetsValues)) {
		if (pos < node.widgetsValues.length) node.widgetsValues[pos] = value;
	} else if (node.widgetsValues && typeof node.widgetsValues === 'object') node.widgetsValues[name] = value;
}

function writeTopLevel(out: UiWorkflow, prompt: ApiPrompt): void {
	const byId = new Map(out.nodes.map((n) => [String(n.id), n]));
	const rows = new Map((Array.isArray(out.links) ? out.links : []).map(linkRow).filter((r) => r !== undefined).map((r) => [r.id, r]));
	for (const [id, entry] of Object.entries(prompt)) {
		const node = byId.get(id);
		if (!node || !Array.isArray(node.widgets_values) || !entry?.inputs) continue;
		const positions = inferredPositions(node, entry.inputs);
		for (const [name, value] of Object.entries(entry.inputs)) {
			if (!isConstant(value)) continue;
			const socket = node.inputs?.find((i) => i.widget?.name === name && typeof i.link === 'number');
			const source = socket ? byId.get(rows.get(socket.link as number)?.originId ?? '') : undefined;
			if (source?.type === 'PrimitiveNode' && Array.isArray(source.widgets_values)) source.widgets_values[0] = value;
			const pos = positions.get(name);
			if (pos !== undefined && pos < node.widgets_values.length) node.widgets_values[pos] = value;
		}
	}
}

/** Widget positions from the prompt's input order, stepping over control and upload values as they are met. */
function inferredPositions(node: UiNode, inputs: Record<string, unknown>): Map<string, number> {
	const wv = node.widgets_values as unknown[];
	const linkOnly = new Set((node.inputs ?? []).filter((i) => !i.widget).map((i) => i.name));
	const m = new Map<string, number>();
	let pos = 0;
	for (const [name, value] of Object.entries(inputs)) {
		if (linkOnly.has(name) || pos >= wv.length) continue;
		m.set(name, pos++);
		if (typeof value === 'number' && (CONTROL_VALUES.has(wv[pos] as string) || wv[pos] === true)) pos++;
		else if (name === 'image' && (wv[pos] === 'image' || wv[pos] === 'upload')) pos++;
	}
	return m;
}
