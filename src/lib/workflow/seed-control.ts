// The seed control mode (fixed / increment / decrement / randomize) a workflow saved for a seed widget: stored
// right after the seed in widgets_values, or on the PrimitiveNode driving it.
import type { InputSpec, NodeDef } from '../comfy/types';
import type { SeedControl } from './types';
import type { FlatGraph } from './graph';
import { originNode } from './links';
import { specOptions, widgetSlots } from './widgets';

const MODES = new Set<SeedControl>(['fixed', 'increment', 'decrement', 'randomize']);

export function toSeedControl(v: unknown): SeedControl | undefined {
	if (v === true) return 'randomize';
	if (v === false) return 'fixed';
	if (v === 'increment-wrap') return 'increment';
	return typeof v === 'string' && MODES.has(v as SeedControl) ? (v as SeedControl) : undefined;
}

/** The seed's control mode as saved: on the PrimitiveNode feeding the seed, promoted on a subgraph, or after it. */
export function seedControlOf(graph: FlatGraph | undefined, nodeId: string, input: string, def: NodeDef, spec: InputSpec): SeedControl {
	const fallback = toSeedControl(specOptions(spec).control_after_generate) ?? 'randomize';
	const node = graph?.nodes.get(nodeId);
	if (!graph || !node) return fallback;
	const socket = node.inputs.find((i) => i.widget === input && i.link !== null);
	if (socket) {
		const source = originNode(graph, socket.link);
		const wv = source?.type === 'PrimitiveNode' ? source.widgetsValues : undefined;
		return (Array.isArray(wv) ? toSeedControl(wv[1]) : undefined) ?? fallback;
	}
	const promoted = toSeedControl(node.overrides?.get('control_after_generate'));
	if (promoted) return promoted;
	const wv = node.widgetsValues;
	if (!Array.isArray(wv)) return fallback;
	const index = widgetSlots(def).findIndex((s) => s.name === input && s.role === 'control');
	return (index >= 0 ? toSeedControl(wv[index]) : undefined) ?? fallback;
}
