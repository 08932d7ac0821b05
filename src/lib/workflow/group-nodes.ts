// Legacy group nodes (extra.groupNodes, node type "workflow>Name" or "workflow/Name"), expanded the way the old
// frontend executed them: inner nodes get ids "<group id>:<index>" and the group's own widgets_values are spread
// over the inner widgets that are not fed inside the group (§4.3 step 7).
import type { GroupNodeDefinition, UiNode } from './types';
import type { FlattenContext } from './flatten-context';
import { type FlatLink, type FlatNode, MODE_BYPASS, MODE_MUTED, nodeMode, plainNode } from './graph';
import { type WidgetSlot, widgetSlots } from './widgets';

export function groupNodeName(type: string): string | undefined {
	const m = /^workflow[>/](.+)$/.exec(type);
	return m ? m[1] : undefined;
}

interface Inner {
	node: UiNode;
	index: number;
	flat: FlatNode;
	/** Widget slots the group's values run over (virtual nodes: the PrimitiveNode value and control). */
	slots: readonly WidgetSlot[];
}

export function expandGroupNode(
	ctx: FlattenContext,
	instance: UiNode,
	def: GroupNodeDefinition,
	id: string,
	outerLinkKey: (id: number) => string
): (slot: number) => FlatLink {
	const title = instance.title ?? groupNodeName(instance.type) ?? instance.type;
	const mode = nodeMode(instance);
	const rows = Array.isArray(def.links) ? def.links.filter((r) => Array.isArray(r)) : [];
	const innerLink = (row: number) => `${id}:g${row}`;
	const inners: Inner[] = (Array.isArray(def.nodes) ? def.nodes : []).map((node, i) => {
		const index = typeof node.index === 'number' ? node.index : i;
		const innerMode = mode === MODE_MUTED || mode === MODE_BYPASS ? mode : nodeMode(node);
		const flat = plainNode(node, `${id}:${index}`, () => '', innerMode);
		for (const input of flat.inputs) input.link = null;
		return { node, index, flat, slots: [] };
	});
	const byIndex = new Map(inners.map((n) => [n.index, n]));

	const fedInside = new Set<string>();
	const consumedInside = new Set<string>();
	rows.forEach(([src, srcSlot, dst, dstSlot], r) => {
		const target = byIndex.get(dst);
		if (src === null || src === undefined || !target) return;
		const input = target.flat.inputs[dstSlot];
		if (input) input.link = innerLink(r);
		fedInside.add(`${dst}:${dstSlot}`);
		consumedInside.add(`${src}:${srcSlot}`);
		ctx.graph.links.set(innerLink(r), { origin: `${id}:${src}`, slot: srcSlot });
	});
	const external = new Set((Array.isArray(def.external) ? def.external : []).filter(Array.isArray).map((e) => `${e[0]}:${e[1]}`));

	// Group inputs: inner link inputs not fed inside, in node order; the instance's inputs match them by position.
	const groupInputs = inners.flatMap((n) =>
		n.flat.inputs.map((input, slot) => ({ n, input, slot })).filter(({ input, slot }) => !input.widget && !fedInside.has(`${n.index}:${slot}`))
	);
	(instance.inputs ?? []).forEach((input, k) => {
		const target = groupInputs[k];
		if (target && typeof input?.link === 'number') target.input.link = outerLinkKey(input.link);
	});

	const groupOutputs = inners.flatMap((n) =>
		n.flat.outputs
			.map((_, slot) => ({ origin: n.flat.id, slot, key: `${n.index}:${slot}` }))
			.filter((o) => !consumedInside.has(o.key) || external.has(o.key))
	);

	for (const n of inners) {
		n.slots = groupWidgetSlots(ctx, n, byIndex, rows);
		const fed = new Set(n.flat.inputs.filter((i) => i.widget && i.link).map((i) => i.widget as string));
		n.slots = n.slots.filter((s) => !fed.has(s.name));
	}
	spreadValues(ctx, instance, title, id, inners);
	for (const n of inners) ctx.graph.nodes.set(n.flat.id, n.flat);

	return (slot) => {
		const out = groupOutputs[slot];
		return out ? { origin: out.origin, slot: out.slot } : { via: null };
	};
}

/** Widget slots of one inner node; a PrimitiveNode takes its value's shape from the widget it feeds. */
function groupWidgetSlots(
	ctx: FlattenContext,
	n: Inner,
	byIndex: Map<number, Inner>,
	rows: GroupNodeDefinition['links']
): readonly WidgetSlot[] {
	const def = ctx.objectInfo[n.flat.type];
	if (def) return widgetSlots(def);
	if (n.flat.type !== 'PrimitiveNode') return [];
	for (const [src, , dst, dstSlot] of rows) {
		if (src !== n.index) continue;
		const target = byIndex.get(dst);
		const widget = target?.flat.inputs[dstSlot]?.widget;
		const targetDef = target ? ctx.objectInfo[target.flat.type] : undefined;
		if (!widget || !targetDef) continue;
		const slots = widgetSlots(targetDef).filter((s) => s.name === widget && s.role !== 'upload');
		if (slots.length) return slots.map((s) => ({ ...s, name: 'value' }));
	}
	return [];
}

/** The group's widgets_values are authoritative over the inner nodes' stored ones. */
function spreadValues(ctx: FlattenContext, instance: UiNode, title: string, id: string, inners: Inner[]): void {
	const values = Array.isArray(instance.widgets_values) ? instance.widgets_values : [];
	const expected = inners.reduce((sum, n) => sum + n.slots.length, 0);
	if (values.length !== expected) {
		ctx.issues.push({
			severity: 'warning',
			nodeId: id,
			nodeTitle: title,
			message: `Group node "${title}" stores ${values.length} widget values but its inner nodes take ${expected} today; values were assigned in order and missing ones left at their saved or default values.`
		});
	}
	let v = 0;
	for (const n of inners) {
		if (n.slots.length === 0) continue;
		const def = ctx.objectInfo[n.flat.type];
		const all = def ? widgetSlots(def) : n.slots;
		const merged = Array.isArray(n.flat.widgetsValues) ? n.flat.widgetsValues.slice() : [];
		for (const slot of n.slots) {
			if (v >= values.length) break;
			const pos = all.findIndex((s) => s.name === slot.name && s.role === slot.role);
			if (pos >= 0) {
				const k = v;
				merged[pos] = values[k];
				if (slot.role === 'value') (n.flat.writers ??= new Map()).set(slot.name, (x: unknown) => (values[k] = x));
			}
			v++;
		}
		n.flat.widgetsValues = merged;
	}
}
