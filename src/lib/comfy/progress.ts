// Overall progress of one prompt from per-node progress, weighted so that sampler-like nodes (many steps)
// dominate, as users expect from "step 12/20", while quick nodes still move the bar a little.
// Pure functions; the JobTracker keeps the result monotonic.
import type { ApiPrompt } from './types';

export interface NodeProgress {
	value: number;
	max: number;
	done: boolean;
}

export interface ProgressInput {
	/** Nodes expected to run (the prompt's node ids); may be empty when unknown. */
	nodeIds: readonly string[];
	/** Nodes known in advance to be heavy (samplers); others become heavy once they report several steps. */
	samplerNodeIds: readonly string[];
	cachedNodes: readonly string[];
	nodes: ReadonlyMap<string, NodeProgress>;
}

export const LIGHT_NODE_WEIGHT = 1;
export const STEPPED_NODE_WEIGHT = 10;
/** Below 1 until the server says the prompt succeeded: outputs are still being written at the last step. */
export const RUNNING_CEILING = 0.99;

function fraction(p: NodeProgress | undefined): number {
	if (!p) return 0;
	if (p.done) return 1;
	if (p.max <= 0) return 0;
	return Math.min(1, Math.max(0, p.value / p.max));
}

function weight(id: string, samplers: ReadonlySet<string>, p: NodeProgress | undefined): number {
	return samplers.has(id) || (p !== undefined && p.max > 1) ? STEPPED_NODE_WEIGHT : LIGHT_NODE_WEIGHT;
}

/** Weighted completion of the non-cached nodes, in 0..RUNNING_CEILING. */
export function weightedProgress(input: ProgressInput): number {
	const cached = new Set(input.cachedNodes);
	const samplers = new Set(input.samplerNodeIds);
	const ids = new Set([...input.nodeIds, ...input.nodes.keys()].filter((id) => !cached.has(id)));
	let total = 0;
	let done = 0;
	for (const id of ids) {
		const p = input.nodes.get(id);
		const w = weight(id, samplers, p);
		total += w;
		done += w * fraction(p);
	}
	if (total === 0) return 0;
	return Math.min(RUNNING_CEILING, done / total);
}

// Nodes that run the denoising loop (core and the usual custom packs); selectors and schedulers only pick a value.
const SAMPLER_CLASS = /sampler/i;
const NOT_A_LOOP = /select|scheduler|name/i;

/** Ids of the prompt's sampler nodes, weighted heavily from the start instead of only once they report steps. */
export function samplerNodeIds(prompt: ApiPrompt): string[] {
	return Object.entries(prompt)
		.filter(([, node]) => SAMPLER_CLASS.test(node.class_type) && !NOT_A_LOOP.test(node.class_type))
		.map(([id]) => id);
}
