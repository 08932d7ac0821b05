// Which nodes run, in which order, and which results can be reused: cache signatures (class + inputs + the
// signatures of linked nodes, like CacheKeySetInputSignature) and the staging of comfy_execution.graph's
// ExecutionList with its "output nodes first" pick.
import type { ApiLink, ApiPrompt, NodeDef } from '../../src/lib/comfy/types';
import { hashOf } from './pictures';

export function isLink(value: unknown): value is ApiLink {
	return Array.isArray(value) && value.length === 2 && typeof value[0] === 'string' && typeof value[1] === 'number';
}

function takesUniqueId(def: NodeDef | undefined): boolean {
	return Object.values(def?.input.hidden ?? {}).some((v) => v === 'UNIQUE_ID' || (Array.isArray(v) && v[0] === 'UNIQUE_ID'));
}

/**
 * Cache signature of every node. `changeToken` stands for IS_CHANGED (e.g. LoadImage's file hash). Nodes that
 * take their UNIQUE_ID include the node id, as the server does.
 */
export function signatures(
	prompt: ApiPrompt,
	def: (classType: string) => NodeDef | undefined,
	changeToken: (id: string) => string
): Map<string, string> {
	const out = new Map<string, string>();
	const visiting = new Set<string>();
	const sign = (id: string): string => {
		const known = out.get(id);
		if (known) return known;
		const node = prompt[id];
		if (!node || visiting.has(id)) return 'missing';
		visiting.add(id);
		const inputs = Object.keys(node.inputs)
			.sort()
			.map((name) => {
				const value = node.inputs[name];
				return [name, isLink(value) ? ['link', sign(value[0]), value[1]] : value];
			});
		const parts = [node.class_type, changeToken(id), takesUniqueId(def(node.class_type)) ? id : null, inputs];
		const signature = hashOf(JSON.stringify(parts));
		out.set(id, signature);
		return signature;
	};
	for (const id of Object.keys(prompt)) sign(id);
	return out;
}

/**
 * The order in which the server would execute `outputs`: a node becomes ready when its uncached inputs are done;
 * among ready nodes an output node goes first, then a node feeding one, then one two steps away.
 * Cached sources are not scheduled (their results are reused); a cached output node is, to re-send its result.
 */
export function executionOrder(
	prompt: ApiPrompt,
	outputs: string[],
	isCached: (id: string) => boolean,
	isOutput: (id: string) => boolean
): string[] {
	const pending = new Map<string, true>();
	const blockCount = new Map<string, number>();
	const blocking = new Map<string, Set<string>>();

	const addNode = (start: string): void => {
		const stack = [start];
		const links: [string, string][] = [];
		while (stack.length > 0) {
			const id = stack.pop()!;
			if (pending.has(id)) continue;
			pending.set(id, true);
			blockCount.set(id, 0);
			blocking.set(id, new Set());
			for (const value of Object.values(prompt[id].inputs)) {
				if (!isLink(value) || !Object.hasOwn(prompt, value[0])) continue;
				if (!isCached(value[0])) stack.push(value[0]);
				links.push([value[0], id]);
			}
		}
		for (const [from, to] of links) {
			if (isCached(from)) continue;
			addNode(from);
			const blocked = blocking.get(from)!;
			if (!blocked.has(to)) {
				blocked.add(to);
				blockCount.set(to, blockCount.get(to)! + 1);
			}
		}
	};
	for (const output of outputs) addNode(output);

	const pick = (ready: string[]): string => {
		const feeds = (id: string, depth: number): boolean =>
			[...blocking.get(id)!].some((b) => (depth === 0 ? isOutput(b) : feeds(b, depth - 1)));
		return (
			ready.find(isOutput) ?? ready.find((id) => feeds(id, 0)) ?? ready.find((id) => feeds(id, 1)) ?? ready[0]
		);
	};
	const order: string[] = [];
	while (pending.size > 0) {
		const ready = [...pending.keys()].filter((id) => blockCount.get(id) === 0);
		if (ready.length === 0) break;
		const id = pick(ready);
		order.push(id);
		pending.delete(id);
		for (const blocked of blocking.get(id)!) blockCount.set(blocked, blockCount.get(blocked)! - 1);
	}
	return order;
}
