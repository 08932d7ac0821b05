// ComfyUI App Mode (extra.linearMode / extra.linearData = {inputs: [[id, widgetName, config?]], outputs: [id]}):
// the workflow's author already chose the form, so exactly those inputs are shown, in that order, and the chosen
// outputs come first in the gallery. Entry ids come in the forms the frontend writes (checked in its appModeStore,
// widgetId and nodeId sources): a root node id (number or numeric string), a subgraph path "5:3", a node locator
// "<subgraph uuid>:<instance id>" naming a promoted widget, a WidgetId "<graph id>:<node id>:<name>" (URI-encoded
// segments), or a subgraph instance id with a promoted widget's name. What cannot be matched is skipped with a note.
import type { ApiPrompt } from '../comfy/types';
import type { AppModeInfo, FormModel, SubgraphDefinition, UiNode, UiWorkflow } from './types';
import { linkRow } from './graph';
import { collectSubgraphs } from './flatten';
import { activeFieldFor, familyOrder } from './form-active';

interface AppModeEntry {
	fieldId: string;
	nodeId: string;
	input: string;
	description?: string;
}

export interface AppModeRead {
	entries: AppModeEntry[];
	info: AppModeInfo;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const NUMERIC = /^-?\d+$/;
const MAX_DEPTH = 16;

type Target = { nodeId: string; input: string } | { error: string };

interface Ctx {
	workflow: UiWorkflow;
	defs: Map<string, SubgraphDefinition>;
}

/** The App Mode of a workflow, or undefined when it has none (no linearData inputs or outputs). */
export function readAppMode(workflow: UiWorkflow | undefined, prompt: ApiPrompt): AppModeRead | undefined {
	const data = workflow?.extra?.linearData;
	if (!workflow || !data || typeof data !== 'object' || Array.isArray(data)) return undefined;
	const rawInputs = (data as { inputs?: unknown }).inputs;
	const rawOutputs = (data as { outputs?: unknown }).outputs;
	const inputs = Array.isArray(rawInputs) ? rawInputs : [];
	const outputs = Array.isArray(rawOutputs) ? rawOutputs : [];
	if (inputs.length === 0 && outputs.length === 0) return undefined;
	const ctx: Ctx = { workflow, defs: collectSubgraphs(workflow.definitions?.subgraphs) };
	const entries: AppModeEntry[] = [];
	const notes: string[] = [];
	for (const raw of inputs) {
		if (!Array.isArray(raw) || raw.length < 2 || typeof raw[1] !== 'string' || (typeof raw[0] !== 'string' && typeof raw[0] !== 'number')) {
			notes.push(`An App Mode input (${short(raw)}) is not in a form this app knows; it was skipped.`);
			continue;
		}
		const target = resolveInput(ctx, raw[0], raw[1]);
		if ('error' in target) {
			notes.push(`App Mode input "${raw[1]}" (node ${String(raw[0])}): ${target.error}; it was skipped.`);
			continue;
		}
		const config = raw[2] && typeof raw[2] === 'object' ? (raw[2] as Record<string, unknown>) : {};
		const fieldId = `${target.nodeId}.${target.input}`;
		if (entries.some((e) => e.fieldId === fieldId)) continue;
		entries.push({ fieldId, nodeId: target.nodeId, input: target.input, ...(typeof config.description === 'string' ? { description: config.description } : {}) });
	}
	const outputIds: string[] = [];
	for (const raw of outputs) {
		const found = typeof raw === 'string' || typeof raw === 'number' ? resolveOutput(ctx, prompt, String(raw)) : [];
		if (found.length === 0) notes.push(`App Mode output ${short(raw)} is not a node that runs here; it was skipped.`);
		for (const id of found) if (!outputIds.includes(id)) outputIds.push(id);
	}
	return { entries, info: { inputs: entries.map((e) => e.fieldId), outputs: outputIds, notes } };
}

/**
 * The form as the App Mode shows it: the chosen fields first, in the author's order and up front; every other
 * field stays in the model (Edit form can bring it back) but is marked advanced, and App Mode hides that section.
 * Entries naming no field of this form are skipped with a note.
 */
export function applyAppMode(model: FormModel, read: AppModeRead): FormModel {
	const byId = new Map(model.fields.map((f) => [f.id, f]));
	const notes = [...read.info.notes];
	const chosen: string[] = [];
	const described = new Map<string, string | undefined>();
	for (const entry of read.entries) {
		// A dynamic combo's sub-input names the field of the option the workflow has chosen.
		const field = byId.get(entry.fieldId) ?? activeFieldFor(model, {}, entry.nodeId, entry.input);
		if (!field) {
			notes.push(`App Mode input ${entry.fieldId.replace('.', ' › ')} is not an editable value of this workflow (linked, or unknown to this server); it was skipped.`);
			continue;
		}
		if (chosen.includes(field.id)) continue;
		chosen.push(field.id);
		described.set(field.id, entry.description);
	}
	if (chosen.length === 0) {
		if (read.entries.length > 0 || read.info.inputs.length > 0) notes.push('None of the App Mode inputs could be used, so the usual form is shown.');
		return { ...model, appMode: { inputs: [], outputs: read.info.outputs, notes } };
	}
	const rank = new Map(chosen.map((id, i) => [id, i]));
	const fields = model.fields.map((f) => {
		const tooltip = described.get(f.id) ?? f.tooltip;
		return { ...f, advanced: !rank.has(f.id), ...(tooltip !== undefined ? { tooltip } : {}) };
	});
	const front = fields.filter((f) => rank.has(f.id)).sort((a, b) => (rank.get(a.id) ?? 0) - (rank.get(b.id) ?? 0));
	const appMode: AppModeInfo = { inputs: chosen, outputs: read.info.outputs, notes };
	return { ...model, fields: familyOrder([...front, ...fields.filter((f) => !rank.has(f.id))]), appMode };
}

function resolveInput(ctx: Ctx, storedId: string | number, widgetName: string): Target {
	const id = String(storedId);
	const parts = id.split(':');
	if (parts.length === 3 && !parts.every((p) => NUMERIC.test(p))) return resolveWidgetId(ctx, parts);
	if (parts.length === 2 && UUID.test(parts[0])) {
		// Node locator: a promoted widget on the root instance parts[1].
		const host = rootNode(ctx, decode(parts[1]));
		return host && ctx.defs.has(host.type) ? promoted(ctx, String(host.id), host, widgetName, 0) : { error: 'no subgraph instance has this id' };
	}
	if (parts.length > 1) return resolvePath(ctx, parts, widgetName);
	const node = rootNode(ctx, id);
	if (node) return ctx.defs.has(node.type) ? promoted(ctx, id, node, widgetName, 0) : { nodeId: id, input: widgetName };
	return resolveLegacyInner(ctx, id, widgetName);
}

/** WidgetId: graphId:nodeId:name. The root graph's id names a root node; a subgraph definition's id one inside it. */
function resolveWidgetId(ctx: Ctx, parts: string[]): Target {
	const [graphId, rawNode, rawName] = parts;
	const nodeId = decode(rawNode);
	const name = decode(rawName);
	const def = ctx.defs.get(graphId);
	if (!def) {
		const node = rootNode(ctx, nodeId);
		if (!node) return { error: 'no node has this id' };
		return ctx.defs.has(node.type) ? promoted(ctx, nodeId, node, name, 0) : { nodeId, input: name };
	}
	const paths = instancePaths(ctx, ctx.workflow.nodes, '', def.id, 0);
	if (paths.length !== 1) return { error: paths.length === 0 ? 'its subgraph is not used in this workflow' : 'its subgraph is used more than once, so it is ambiguous' };
	const inner = (def.nodes ?? []).find((n) => String(n?.id) === nodeId);
	if (!inner) return { error: 'no node inside the subgraph has this id' };
	const path = `${paths[0]}:${nodeId}`;
	return ctx.defs.has(inner.type) ? promoted(ctx, path, inner, name, 0) : { nodeId: path, input: name };
}

/** A path id "5:3" (subgraph instance 5, its node 3), as the converter names inner nodes. */
function resolvePath(ctx: Ctx, parts: string[], widgetName: string): Target {
	let nodes: UiNode[] = ctx.workflow.nodes;
	let node: UiNode | undefined;
	for (const [i, part] of parts.entries()) {
		node = nodes.find((n) => String(n?.id) === part);
		if (!node) return { error: 'no node has this path' };
		if (i < parts.length - 1) {
			const def = ctx.defs.get(node.type);
			if (!def) return { error: 'the path goes through a node that is not a subgraph' };
			nodes = Array.isArray(def.nodes) ? def.nodes : [];
		}
	}
	const path = parts.join(':');
	return node && ctx.defs.has(node.type) ? promoted(ctx, path, node, widgetName, 0) : { nodeId: path, input: widgetName };
}

/** An older entry naming an inner node by its own id: the one instance that promotes that widget. */
function resolveLegacyInner(ctx: Ctx, innerId: string, widgetName: string): Target {
	const matches: Target[] = [];
	for (const node of ctx.workflow.nodes) {
		if (!node || !ctx.defs.has(node.type)) continue;
		for (const name of promotedNames(ctx, node)) {
			const t = promoted(ctx, String(node.id), node, name, 0);
			if (!('error' in t) && t.nodeId === `${node.id}:${innerId}` && t.input === widgetName) matches.push(t);
		}
	}
	if (matches.length === 1) return matches[0];
	return { error: matches.length > 1 ? 'several subgraphs promote this widget, so it is ambiguous' : 'no node has this id' };
}

/** The inner node and widget a subgraph instance's promoted widget stands for (proxyWidgets, else its inputs). */
function promoted(ctx: Ctx, path: string, instance: UiNode, name: string, depth: number): Target {
	const def = ctx.defs.get(instance.type);
	if (!def || depth > MAX_DEPTH) return { error: 'the subgraph could not be followed' };
	const proxies = Array.isArray(instance.properties?.proxyWidgets) ? (instance.properties.proxyWidgets as unknown[]) : [];
	for (const p of proxies) {
		if (!Array.isArray(p) || p[1] !== name || String(p[0]) === '-1') continue;
		return innerTarget(ctx, def, `${path}:${String(p[0])}`, String(p[0]), name, depth);
	}
	const slot = (def.inputs ?? []).findIndex((i) => i?.name === name);
	if (slot < 0) return { error: 'the subgraph has no promoted widget of this name' };
	for (const raw of def.links ?? []) {
		const row = linkRow(raw);
		if (!row || row.originId !== '-10' || row.originSlot !== slot) continue;
		const target = (def.nodes ?? []).find((n) => String(n?.id) === row.targetId);
		const input = target?.inputs?.[row.targetSlot];
		const widget = input?.widget?.name ?? input?.name;
		if (target && typeof widget === 'string') return innerTarget(ctx, def, `${path}:${row.targetId}`, row.targetId, widget, depth);
	}
	return { error: 'the subgraph input it names feeds no widget' };
}

function innerTarget(ctx: Ctx, def: SubgraphDefinition, path: string, innerId: string, widget: string, depth: number): Target {
	const inner = (def.nodes ?? []).find((n) => String(n?.id) === innerId);
	if (!inner) return { error: 'the subgraph has no such inner node' };
	return ctx.defs.has(inner.type) ? promoted(ctx, path, inner, widget, depth + 1) : { nodeId: path, input: widget };
}

function promotedNames(ctx: Ctx, instance: UiNode): string[] {
	const names = new Set<string>();
	const proxies = instance.properties?.proxyWidgets;
	if (Array.isArray(proxies)) for (const p of proxies) if (Array.isArray(p) && typeof p[1] === 'string') names.add(p[1]);
	for (const i of ctx.defs.get(instance.type)?.inputs ?? []) if (typeof i?.name === 'string') names.add(i.name);
	return [...names];
}

/** Path prefixes of every instance of a subgraph definition, at any depth. */
function instancePaths(ctx: Ctx, nodes: UiNode[], prefix: string, defId: string, depth: number): string[] {
	if (depth > MAX_DEPTH) return [];
	const out: string[] = [];
	for (const node of nodes) {
		const def = node ? ctx.defs.get(node.type) : undefined;
		if (!def) continue;
		const path = `${prefix}${node.id}`;
		if (def.id === defId) out.push(path);
		out.push(...instancePaths(ctx, Array.isArray(def.nodes) ? def.nodes : [], `${path}:`, defId, depth + 1));
	}
	return out;
}

/** Prompt node ids an App Mode output stands for: the node itself, or every node inside a subgraph instance. */
function resolveOutput(ctx: Ctx, prompt: ApiPrompt, id: string): string[] {
	if (Object.hasOwn(prompt, id)) return [id];
	const node = id.includes(':') ? undefined : rootNode(ctx, id);
	if (node && ctx.defs.has(node.type)) return Object.keys(prompt).filter((p) => p.startsWith(`${id}:`));
	return [];
}

function rootNode(ctx: Ctx, id: string): UiNode | undefined {
	return ctx.workflow.nodes.find((n) => n && String(n.id) === id);
}

function decode(segment: string): string {
	try {
		return decodeURIComponent(segment);
	} catch {
		return segment;
	}
}

function short(v: unknown): string {
	return (JSON.stringify(v) ?? String(v)).slice(0, 60);
}
