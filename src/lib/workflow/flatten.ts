// Flattening: legacy group nodes and subgraph instances are expanded into their inner nodes (path ids), and every
// link of every nesting level lands in one table, so link resolution never has to know where a node came from.
import type { ObjectInfo } from '../comfy/types';
import type { ConvertIssue, SubgraphDefinition, UiWorkflow } from './types';
import { type FlatGraph, type FlatLink, MODE_BYPASS, MODE_MUTED, linkRow, nodeMode, plainNode } from './graph';
import type { FlattenContext, Scope } from './flatten-context';
import { expandGroupNode, groupNodeName } from './group-nodes';
import { expandSubgraph } from './subgraphs';

export function flattenWorkflow(workflow: UiWorkflow, objectInfo: ObjectInfo): { graph: FlatGraph; issues: ConvertIssue[] } {
	const ctx: FlattenContext = {
		graph: { nodes: new Map(), links: new Map() },
		issues: [],
		objectInfo,
		groupNodes: workflow.extra?.groupNodes ?? {},
		subgraphs: collectSubgraphs(workflow.definitions?.subgraphs),
		instanceSources: new Map()
	};
	flattenScope(ctx, { prefix: '', nodes: workflow.nodes, links: workflow.links, stack: [] });
	return { graph: ctx.graph, issues: ctx.issues };
}

export function collectSubgraphs(defs: SubgraphDefinition[] | undefined, into = new Map<string, SubgraphDefinition>()) {
	for (const def of Array.isArray(defs) ? defs : []) {
		if (!def || typeof def.id !== 'string') continue;
		into.set(def.id, def);
		collectSubgraphs(def.definitions?.subgraphs, into);
	}
	return into;
}

/** Flattens one graph level; returns, for a subgraph, which link key feeds each of its outputs. */
export function flattenScope(ctx: FlattenContext, scope: Scope): Map<number, string> {
	const { prefix } = scope;
	const linkKey = (id: number) => `${prefix}#${id}`;
	const instanceOutputs = new Map<string, (slot: number) => FlatLink>();

	for (const node of scope.nodes) {
		const id = `${prefix}${node.id}`;
		const groupName = groupNodeName(node.type);
		const groupDef = groupName !== undefined ? ctx.groupNodes[groupName] : undefined;
		const subgraph = ctx.subgraphs.get(node.type);
		if (groupDef) {
			instanceOutputs.set(String(node.id), expandGroupNode(ctx, node, groupDef, id, linkKey));
		} else if (subgraph && nodeMode(node) !== MODE_MUTED && nodeMode(node) !== MODE_BYPASS) {
			instanceOutputs.set(String(node.id), expandSubgraph(ctx, scope, node, subgraph, linkKey, flattenScope));
		} else {
			ctx.graph.nodes.set(id, plainNode(node, id, linkKey));
		}
	}

	const outputs = new Map<number, string>();
	for (const raw of scope.links) {
		const row = linkRow(raw);
		if (!row) continue;
		const key = linkKey(row.id);
		if (row.targetId === '-20') outputs.set(row.targetSlot, key);
		let link: FlatLink;
		if (row.originId === '-10') link = scope.boundary ? scope.boundary(row.originSlot, row.id, row.type) : { via: null };
		else link = instanceOutputs.get(row.originId)?.(row.originSlot) ?? { origin: `${prefix}${row.originId}`, slot: row.originSlot };
		ctx.graph.links.set(key, link);
	}
	return outputs;
}
