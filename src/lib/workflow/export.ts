// Export: the API prompt as JSON, and the UI workflow with its widgets_values updated from the prompt that ran,
// so a result reopens in desktop ComfyUI with the values that made it.
import type { ApiPrompt, NodeDef, ObjectInfo } from '../comfy/types';
import type { SubgraphDefinition, UiNode, UiWorkflow } from './types';
import { type FlatGraph, type FlatNode, linkRow, typeName } from './graph';
import { jsonClone } from './clone';
import { flattenWorkflow } from './flatten';
import { originNode } from './links';
import { asUiWorkflow, checkUiWorkflow } from './schema';
import { savedInputs } from './node-values';
import { placeValues, slotDefault } from './realign';
import { type InputSlot, widgetEntries } from './v3-inputs';

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
	if (objectInfo && !checkUiWorkflow(out)) writeThroughGraph(flattenWorkflow(asUiWorkflow(out), objectInfo).graph, prompt, objectInfo, out);
	else if (Array.isArray(out?.nodes)) writeTopLevel(out, prompt);
	return out;
}

function writeThroughGraph(graph: FlatGraph, prompt: ApiPrompt, objectInfo: ObjectInfo, workflow: UiWorkflow): void {
	for (const [id, entry] of Object.entries(prompt)) {
		const node = graph.nodes.get(id);
		const def = entry && objectInfo[entry.class_type];
		if (!node || !def || !entry.inputs) continue;
		if (Array.isArray(node.widgetsValues)) {
			writeLaidOut(graph, node, def, entry.inputs, workflow);
			continue;
		}
		for (const [name, value] of Object.entries(entry.inputs)) {
			const v = widgetValue(value);
			if (v !== undefined) writeWidget(graph, node, name, -1, v.value);
		}
	}
}

/** A prompt value as a widget holds it (a multiselect list unwrapped); undefined for links and dict constants. */
function widgetValue(v: unknown): { value: unknown } | undefined {
	if (isConstant(v)) return { value: v };
	if (v && typeof v === 'object' && !Array.isArray(v) && Array.isArray((v as { __value__?: unknown }).__value__)) return { value: (v as { __value__: unknown[] }).__value__ };
	return undefined;
}

/**
 * A node with positional widgets_values. Positions come from the layout the save has (v3-inputs via realign.ts:
 * a dynamic combo's sub-inputs right after it). When the run chose another option (or the save was realigned),
 * the list is rebuilt as the frontend lays it out for those values: combo, its option's sub-inputs, then the
 * rest, each value from the prompt, else as saved, else the default; the node's input sockets follow.
 */
function writeLaidOut(graph: FlatGraph, node: FlatNode, def: NodeDef, inputs: Record<string, unknown>, workflow: UiWorkflow): void {
	const wv = node.widgetsValues as unknown[];
	const saved = savedInputs(node);
	const before = placeValues(def, wv, saved, node.overrides);
	const oldValue = new Map(before.slots.map((s, i) => [`${s.name}/${s.role}`, before.values[i]]));
	const sent = (name: string) => widgetValue(inputs[name]);
	const after = widgetEntries(def, { value: (name) => (sent(name) ? sent(name)?.value : oldValue.get(`${name}/value`)), saved });
	const positional = before.issue?.kind !== 'realigned' && sameLayout(before.slots, after);
	if (!positional) {
		const values = after.map((slot) => {
			const kept = oldValue.get(`${slot.name}/${slot.role}`);
			if (slot.role === 'value') return sent(slot.name)?.value ?? (kept === undefined ? slotDefault(slot) : kept);
			return kept !== undefined ? kept : EXTRA_DEFAULTS[slot.role];
		});
		const tail = before.issue ? [] : wv.slice(before.slots.length);
		wv.splice(0, wv.length, ...values, ...tail);
		syncSockets(node.source, before.slots, after, scopeOf(workflow, node.source));
	}
	after.forEach((slot, i) => {
		const v = slot.role === 'value' ? sent(slot.name) : undefined;
		if (v) writeWidget(graph, node, slot.name, i, v.value);
	});
}

/** What a frontend-only extra holds when it is new (the chosen option brought a widget that has one). */
const EXTRA_DEFAULTS: Record<string, unknown> = { control: 'fixed', filter: '', upload: null };

function sameLayout(a: readonly InputSlot[], b: readonly InputSlot[]): boolean {
	return a.length === b.length && a.every((s, i) => s.name === b[i].name && s.role === b[i].role);
}

/**
 * The node's input list after an option change, as the frontend's dynamic combo rebuilds it (dynamicWidgets.ts):
 * the old option's sub-input sockets go, with their links; the new option's widget inputs are listed after their
 * combo. Only for saves that list widget inputs.
 */
function syncSockets(node: UiNode, before: readonly InputSlot[], after: readonly InputSlot[], scope: Scope | undefined): void {
	if (!Array.isArray(node.inputs)) return;
	const now = new Set(after.filter((s) => s.role === 'value').map((s) => s.name));
	const stale = new Set(before.filter((s) => s.role === 'value' && s.parent?.kind === 'dynamic-combo' && !now.has(s.name)).map((s) => s.name));
	const gone = node.inputs.filter((i) => stale.has(i.name));
	if (gone.some((i) => typeof i.link === 'number' && !scope)) return;
	for (const i of gone) if (typeof i.link === 'number' && scope) dropLink(scope, i.link);
	node.inputs = node.inputs.filter((i) => !stale.has(i.name));
	const was = new Set(before.filter((s) => s.role === 'value').map((s) => s.name));
	for (const slot of after) {
		if (slot.role !== 'value' || was.has(slot.name) || slot.parent?.kind !== 'dynamic-combo' || node.inputs.some((i) => i.name === slot.name)) continue;
		const combo = slot.parent.name;
		let at = -1;
		node.inputs.forEach((i, n) => {
			if (i.name === combo || i.name.startsWith(`${combo}.`)) at = n;
		});
		if (at < 0) continue;
		node.inputs.splice(at + 1, 0, { name: slot.name, localized_name: slot.name, label: slot.label, type: typeName(slot.spec[0]), widget: { name: slot.name }, link: null });
	}
}

interface Scope {
	nodes: UiNode[];
	links: UiWorkflow['links'];
}

/** The graph level (root or a subgraph definition) that holds a node, for its links. */
function scopeOf(workflow: UiWorkflow, node: UiNode): Scope | undefined {
	if (workflow.nodes.includes(node)) return workflow;
	const walk = (defs: SubgraphDefinition[] | undefined, depth: number): Scope | undefined => {
		for (const d of Array.isArray(defs) ? defs : []) {
			if (Array.isArray(d?.nodes) && d.nodes.includes(node) && Array.isArray(d.links)) return d;
			const inner = depth < 16 ? walk(d?.definitions?.subgraphs, depth + 1) : undefined;
			if (inner) return inner;
		}
		return undefined;
	};
	return walk(workflow.definitions?.subgraphs, 0);
}

/** Removes a link from its graph level and from its origin's output list. */
function dropLink(scope: Scope, id: number): void {
	const at = scope.links.findIndex((l) => linkRow(l)?.id === id);
	if (at < 0) return;
	const row = linkRow(scope.links[at]);
	scope.links.splice(at, 1);
	const origin = scope.nodes.find((n) => String(n.id) === row?.originId);
	for (const o of origin?.outputs ?? []) if (Array.isArray(o.links)) o.links = o.links.filter((l) => l !== id);
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
		if (pos >= 0 && pos < node.widgetsValues.length) node.widgetsValues[pos] = value;
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
