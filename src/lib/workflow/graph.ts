// The flattened graph the converter works on: one namespace of string node ids (paths like "5:3" for subgraph and
// group-node inner nodes) and of link keys, whatever the schema, link shape and nesting of the source workflow.
import type { UiLink, UiNode } from './types';

export interface FlatInput {
	name: string;
	type: string;
	/** Key into FlatGraph.links, or null when unconnected. */
	link: string | null;
	/** Set when this socket is a widget turned into an input. */
	widget?: string;
}

export interface FlatOutput {
	name: string;
	type: string;
}

export interface FlatNode {
	id: string;
	type: string;
	mode: number;
	/** node.title as saved (may be absent). */
	title?: string;
	inputs: FlatInput[];
	outputs: FlatOutput[];
	widgetsValues: unknown[] | Record<string, unknown> | undefined;
	/** Widget values set from outside the node (a subgraph instance's promoted widgets), by widget name. */
	overrides?: Map<string, unknown>;
	/**
	 * Where a widget's value is stored when it is not in this node's own widgets_values (a legacy group node's
	 * list, a subgraph instance's promoted values): export writes through these.
	 */
	writers?: Map<string, (value: unknown) => void>;
	/** Where the node came from, for messages: "node 12", "group node 37 › KSampler"... */
	source: UiNode;
}

/**
 * A link: either from a node's output, or an alias standing for another link (subgraph boundaries); an alias that
 * leads to an unconnected subgraph input carries the instance's promoted value, or points at the inner widget whose
 * value stands for it.
 */
export type FlatLink =
	| { origin: string; slot: number }
	| { via: string | null; constant?: PromotedValue; widget?: () => WidgetRef | undefined };

/**
 * An unconnected subgraph input with no value of its own takes the value of the first inner widget it feeds
 * (the frontend promotes that widget onto the instance); plain sockets it also feeds get that value.
 */
export type WidgetRef = { nodeId: string; input: string } | { value: unknown };

/** A value shown on a subgraph instance, and how to store a new one there. */
export interface PromotedValue {
	value: unknown;
	write: (value: unknown) => void;
}

export interface FlatGraph {
	nodes: Map<string, FlatNode>;
	links: Map<string, FlatLink>;
}

export interface LinkRow {
	id: number;
	originId: string;
	originSlot: number;
	targetId: string;
	targetSlot: number;
	type: unknown;
}

/** Both link shapes (schema 0.4 arrays, schema 1 objects) as one row type; malformed rows are skipped. */
export function linkRow(link: UiLink): LinkRow | undefined {
	if (Array.isArray(link)) {
		const [id, originId, originSlot, targetId, targetSlot, type] = link;
		if (typeof id !== 'number' || originId == null || targetId == null) return undefined;
		return { id, originId: String(originId), originSlot: Number(originSlot), targetId: String(targetId), targetSlot: Number(targetSlot), type };
	}
	if (link && typeof link === 'object' && typeof link.id === 'number' && link.origin_id != null) {
		return {
			id: link.id,
			originId: String(link.origin_id),
			originSlot: Number(link.origin_slot),
			targetId: String(link.target_id),
			targetSlot: Number(link.target_slot),
			type: link.type
		};
	}
	return undefined;
}

/** A socket type as one comparable string (combo inputs may store the option list as their type). */
export function typeName(t: unknown): string {
	if (Array.isArray(t)) return 'COMBO';
	if (t == null) return '*';
	return String(t);
}

export function flatInputs(node: UiNode, linkKey: (id: number) => string): FlatInput[] {
	return (node.inputs ?? []).map((input) => ({
		name: String(input?.name ?? ''),
		type: typeName(input?.type),
		link: typeof input?.link === 'number' ? linkKey(input.link) : null,
		...(input?.widget && typeof input.widget.name === 'string' ? { widget: input.widget.name } : {})
	}));
}

export function flatOutputs(node: UiNode): FlatOutput[] {
	return (node.outputs ?? []).map((o) => ({ name: String(o?.name ?? ''), type: typeName(o?.type) }));
}

export function nodeMode(node: UiNode): number {
	return typeof node.mode === 'number' ? node.mode : 0;
}

export function plainNode(node: UiNode, id: string, linkKey: (id: number) => string, mode = nodeMode(node)): FlatNode {
	return {
		id,
		type: node.type,
		mode,
		...(typeof node.title === 'string' ? { title: node.title } : {}),
		inputs: flatInputs(node, linkKey),
		outputs: flatOutputs(node),
		widgetsValues: node.widgets_values,
		source: node
	};
}

/** Frontend-only node types: never sent to the server. */
export const VIRTUAL_TYPES = new Set(['Reroute', 'PrimitiveNode', 'Note', 'MarkdownNote']);

export const MODE_MUTED = 2;
export const MODE_BYPASS = 4;
