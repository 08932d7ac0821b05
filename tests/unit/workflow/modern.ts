// Fixtures of the 2026 corpus (tests/fixtures/modern, copied from ../shared/corpus/modern and captures-2026).
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { ApiPrompt, ObjectInfo } from '../../../src/lib/comfy/types';
import type { UiNode, UiWorkflow } from '../../../src/lib/workflow/types';

export const modernDir = path.resolve(__dirname, '../../fixtures/modern');
const read = <T>(file: string): T => JSON.parse(readFileSync(path.join(modernDir, file), 'utf8')) as T;

/** `/object_info` of a May 2026 server (1,686 classes). */
export const objectInfo2026 = read<ObjectInfo>('object_info-2026-05.json');
/** `/object_info` of the real ComfyUI 0.33.0 recorded in captures-2026 (889 classes). */
export const objectInfo033 = read<ObjectInfo>('object_info-0.33.0.json');

export const modernNames = readdirSync(path.join(modernDir, 'workflows'))
	.filter((f) => f.endsWith('.json'))
	.map((f) => f.slice(0, -'.json'.length))
	.sort();

export const modernWorkflow = (name: string): UiWorkflow => read<UiWorkflow>(`workflows/${name}.json`);
export const expectedPrompt = (name: string): ApiPrompt => read<ApiPrompt>(`expected/${name}.prompt.json`);
export const modernJson = <T>(file: string): T => read<T>(file);

const CONTROL = new Set(['fixed', 'increment', 'decrement', 'randomize', 'increment-wrap']);

/**
 * Every plain node of the workflow, nested subgraphs included, with its path id, found by walking the saved file
 * only (no converter code): root nodes, then for each subgraph instance the nodes of its definition.
 */
export function savedNodes(w: UiWorkflow): { id: string; node: UiNode }[] {
	const defs = new Map((w.definitions?.subgraphs ?? []).map((d) => [d.id, d]));
	for (const d of w.definitions?.subgraphs ?? []) for (const inner of d.definitions?.subgraphs ?? []) defs.set(inner.id, inner);
	const out: { id: string; node: UiNode }[] = [];
	const walk = (nodes: UiNode[], prefix: string, depth: number) => {
		for (const node of nodes) {
			const def = defs.get(node.type);
			if (def && depth < 8) walk(def.nodes, `${prefix}${node.id}:`, depth + 1);
			else out.push({ id: `${prefix}${node.id}`, node });
		}
	};
	walk(w.nodes, '', 0);
	return out;
}

/**
 * What a modern save says each unconnected widget holds, read from the save alone: the node's `inputs` list the
 * widgets in widget order (every widget has an input entry since frontend 1.1x), and widgets_values holds one value
 * per widget plus a control value after a seed-like number.
 */
export function savedWidgetValues(node: UiNode): Map<string, unknown> {
	const wv = Array.isArray(node.widgets_values) ? node.widgets_values : [];
	const out = new Map<string, unknown>();
	let p = 0;
	for (const input of node.inputs ?? []) {
		if (!input.widget) continue;
		const value = wv[p++];
		if (typeof value === 'number' && typeof wv[p] === 'string' && CONTROL.has(wv[p] as string)) p++;
		if (input.link === null || input.link === undefined) out.set(input.widget.name, value);
	}
	return out;
}
