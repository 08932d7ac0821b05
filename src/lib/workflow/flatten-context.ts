// What flattening threads through its expanders (flatten.ts walks a level, group-nodes.ts and subgraphs.ts expand
// instances into it): the graph being filled and the graph level being walked. Types only, so the expanders depend
// on this and not on flatten.ts, which depends on them.
import type { ObjectInfo } from '../comfy/types';
import type { ConvertIssue, GroupNodeDefinition, SubgraphDefinition, UiLink, UiNode } from './types';
import type { FlatGraph, FlatLink, WidgetRef } from './graph';

export interface FlattenContext {
	graph: FlatGraph;
	issues: ConvertIssue[];
	objectInfo: ObjectInfo;
	groupNodes: Record<string, GroupNodeDefinition>;
	subgraphs: Map<string, SubgraphDefinition>;
	/** Expanded subgraph instances by path id: what value instance input `index` stands for when unconnected. */
	instanceSources: Map<string, (index: number) => WidgetRef | undefined>;
}

export interface Scope {
	prefix: string;
	nodes: UiNode[];
	links: UiLink[];
	/** Inside a subgraph: what link `linkId` from the input node (-10) slot `slot` stands for. */
	boundary?: (slot: number, linkId: number, type: unknown) => FlatLink;
	/** Subgraph definition ids on the way here, against self-nesting. */
	stack: string[];
}
