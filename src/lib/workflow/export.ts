// Export: the API prompt as JSON, and the UI workflow with its widgets_values updated from the prompt that ran,
// so a result reopens in desktop ComfyUI with the values that made it.
import type { ApiPrompt, ObjectInfo } from '../comfy/types';
import type { UiNode, UiWorkflow } from './types';
import { linkRow } from './graph';
import { valueIndex, widgetSlots } from './widgets';

export function exportApiJson(prompt: ApiPrompt): string {
	return JSON.stringify(prompt, null, 2);
}

const CONTROL_VALUES = new Set(['fixed', 'increment', 'decrement', 'randomize', 'increment-wrap']);

const isConstant = (v: unknown): boolean => v === null || typeof v !== 'object';

/**
 * Writes the prompt's constant inputs back into the top-level nodes' widgets_values (and into the PrimitiveNodes
 * feeding them). With objectInfo the widget positions come from the node definitions; without it they are read
 * from the prompt's input order, which the converter keeps in widget order. Group-node and subgraph inner nodes
 * (path ids) are left as saved.
 */
export function exportUiWorkflow(workflow: UiWorkflow, prompt: ApiPrompt, objectInfo?: ObjectInfo): UiWorkflow {
	const out = structuredClone(workflow);
	const byId = new Map(out.nodes.map((n) => [String(n.id), n]));
	const rows = new Map((out.links ?? []).map(linkRow).filter((r) => r !== undefined).map((r) => [r.id, r]));
	for (const [id, entry] of Object.entries(prompt)) {
		const node = byId.get(id);
		if (!node || !Array.isArray(node.widgets_values) || !entry?.inputs) continue;
		const def = objectInfo?.[entry.class_type];
		const positions = def ? valueIndex(widgetSlots(def)) : inferredPositions(node, entry.inputs);
		for (const [name, value] of Object.entries(entry.inputs)) {
			if (!isConstant(value)) continue;
			const socket = node.inputs?.find((i) => i.widget?.name === name && typeof i.link === 'number');
			const source = socket ? byId.get(rows.get(socket.link as number)?.originId ?? '') : undefined;
			if (source?.type === 'PrimitiveNode' && Array.isArray(source.widgets_values)) source.widgets_values[0] = value;
			const pos = positions.get(name);
			if (pos !== undefined && pos < node.widgets_values.length) node.widgets_values[pos] = value;
		}
	}
	return out;
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
