// Link resolution through bypassed nodes, Reroutes, PrimitiveNodes and subgraph boundaries (§4.3 steps 3-4).
import type { FlatGraph, FlatNode } from './graph';
import { MODE_BYPASS, VIRTUAL_TYPES } from './graph';

export type Resolved =
	| { kind: 'link'; origin: string; slot: number }
	| { kind: 'constant'; value: unknown }
	| { kind: 'widget'; nodeId: string; input: string }
	| { kind: 'none' };

const NONE: Resolved = { kind: 'none' };
const MAX_HOPS = 100_000;

/** Compatible socket types: equal, either is a wildcard, or comma-separated lists intersect (case-insensitive). */
export function typesCompatible(a: string, b: string): boolean {
	if (a === '*' || b === '*' || a === '' || b === '') return true;
	const x = a.toUpperCase().split(',').map((t) => t.trim());
	const y = new Set(b.toUpperCase().split(',').map((t) => t.trim()));
	return x.some((t) => y.has(t));
}

/** Follows a link to the node output that really feeds it; a loop or an over-long chain resolves to nothing. */
export function resolveLink(graph: FlatGraph, start: string | null, type: string): Resolved {
	const seen = new Set<string>();
	let key = start;
	while (key !== null && !seen.has(key) && seen.size < MAX_HOPS) {
		seen.add(key);
		const link = graph.links.get(key);
		if (!link) return NONE;
		if ('via' in link) {
			if (link.via === null) {
				if (link.constant) return { kind: 'constant', value: link.constant.value };
				const ref = link.widget?.();
				if (!ref) return NONE;
				return 'value' in ref ? { kind: 'constant', value: ref.value } : { kind: 'widget', nodeId: ref.nodeId, input: ref.input };
			}
			key = link.via;
			continue;
		}
		const node = graph.nodes.get(link.origin);
		if (!node) return NONE;
		if (node.mode === MODE_BYPASS) {
			key = bypassInput(node, link.slot, type)?.link ?? null;
		} else if (node.type === 'PrimitiveNode') {
			const wv = node.widgetsValues;
			return Array.isArray(wv) && wv.length > 0 ? { kind: 'constant', value: wv[0] } : NONE;
		} else if (VIRTUAL_TYPES.has(node.type)) {
			key = node.inputs[link.slot]?.link ?? null;
		} else {
			return { kind: 'link', origin: node.id, slot: link.slot };
		}
	}
	return NONE;
}

/** Which input of a bypassed node stands in for its output `slot` when a `type` socket asks for it. */
function bypassInput(node: FlatNode, slot: number, type: string) {
	const inputs = node.inputs;
	if (type === '*' || type === '') return inputs[slot] ?? inputs[0];
	const outType = node.outputs[slot]?.type ?? '*';
	const same = inputs[slot];
	if (same && typesCompatible(same.type, outType) && typesCompatible(same.type, type)) return same;
	return inputs.find((i) => i.type === type) ?? inputs.find((i) => typesCompatible(i.type, type));
}

/** The node a link comes from, through subgraph boundaries and Reroutes (not through bypassed nodes). */
export function originNode(graph: FlatGraph, start: string | null): FlatNode | undefined {
	const seen = new Set<string>();
	let key = start;
	while (key !== null && !seen.has(key) && seen.size < MAX_HOPS) {
		seen.add(key);
		const link = graph.links.get(key);
		if (!link) return undefined;
		if ('via' in link) {
			key = link.via;
			continue;
		}
		const node = graph.nodes.get(link.origin);
		if (node?.type !== 'Reroute') return node;
		key = node.inputs[0]?.link ?? null;
	}
	return undefined;
}
