// The seed control mode (fixed / increment / decrement / randomize) a workflow saved for a seed widget: stored
// right after the seed in widgets_values, or on the PrimitiveNode driving it.
import type { InputSpec, NodeDef } from '../comfy/types';
import type { SeedControl, UiWorkflow } from './types';
import { linkRow } from './graph';
import { specOptions, widgetSlots } from './widgets';

const MODES = new Set<SeedControl>(['fixed', 'increment', 'decrement', 'randomize']);

export function toSeedControl(v: unknown): SeedControl | undefined {
	if (v === true) return 'randomize';
	if (v === false) return 'fixed';
	if (v === 'increment-wrap') return 'increment';
	return typeof v === 'string' && MODES.has(v as SeedControl) ? (v as SeedControl) : undefined;
}

export function seedControlOf(workflow: UiWorkflow | undefined, nodeId: string, input: string, def: NodeDef, spec: InputSpec): SeedControl {
	const fallback = toSeedControl(specOptions(spec).control_after_generate) ?? 'randomize';
	const node = workflow?.nodes.find((n) => String(n.id) === nodeId);
	if (!node) return fallback;
	const socket = node.inputs?.find((i) => i.widget?.name === input && typeof i.link === 'number');
	if (socket) {
		const row = workflow?.links.map(linkRow).find((r) => r?.id === socket.link);
		const source = row ? workflow?.nodes.find((n) => String(n.id) === row.originId) : undefined;
		const wv = source?.type === 'PrimitiveNode' ? source.widgets_values : undefined;
		return (Array.isArray(wv) ? toSeedControl(wv[1]) : undefined) ?? fallback;
	}
	const wv = node.widgets_values;
	if (!Array.isArray(wv)) return fallback;
	const index = widgetSlots(def).findIndex((s) => s.name === input && s.role === 'control');
	return (index >= 0 ? toSeedControl(wv[index]) : undefined) ?? fallback;
}
