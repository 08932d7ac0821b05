// Subgraph instances (node type = a definitions.subgraphs[] id), expanded into their inner nodes with path ids
// "<instance id>:<inner id>" (nested: "a:b:c"). Links from the input node (-10) stand for the instance's outer
// inputs; values the instance shows for promoted widgets become constants or override the inner widgets.
//
// As the 1.4x–1.5x frontend loads an instance (litegraph SubgraphNode: configure, _rebindInputSubgraphSlots,
// _resolveInputWidget; proxyWidget.ts), checked in Comfy-Org/ComfyUI_frontend's source:
// - the instance's saved inputs are bound to the definition's inputs by name and type, then by name, never by
//   position (a saved instance may list fewer inputs than its definition);
// - an unconnected definition input takes the value of its promoted widget: a `["-1", name]` proxyWidgets entry's
//   value on the instance, else the first inner widget it feeds (that widget is what the instance shows);
// - `[innerId, widget]` entries are views of the inner widget: the value lives in the inner node (the instance
//   saves null there); a non-null value saved on the instance is applied to the inner widget.
import type { SubgraphDefinition, UiNode, UiNodeInput } from './types';
import { type FlatLink, type PromotedValue, type WidgetRef, linkRow, typeName } from './graph';
import { typesCompatible } from './links';
import type { FlattenContext, Scope } from './flatten-context';

const MAX_DEPTH = 16;

type FlattenScope = (ctx: FlattenContext, scope: Scope) => Map<number, string>;

interface Promotions {
	/** Values for the subgraph's own inputs, by input name: used when the outer input is unconnected. */
	byInput: Map<string, PromotedValue>;
	/** Values for inner widgets: inner node id → widget name → value. */
	byInner: Map<string, Map<string, PromotedValue>>;
}

export function expandSubgraph(
	ctx: FlattenContext,
	outer: Scope,
	instance: UiNode,
	def: SubgraphDefinition,
	outerLinkKey: (id: number) => string,
	flattenScope: FlattenScope
): (slot: number) => FlatLink {
	const title = instance.title ?? def.name ?? 'subgraph';
	const id = `${outer.prefix}${instance.id}`;
	if (outer.stack.includes(def.id) || outer.stack.length >= MAX_DEPTH) {
		ctx.issues.push({ severity: 'error', nodeId: id, nodeTitle: title, message: `Subgraph "${title}" contains itself or is nested too deeply.` });
		return () => ({ via: null });
	}
	const defInputs: readonly (DefInput | null | undefined)[] = Array.isArray(def.inputs) ? def.inputs : [];
	const bound = bindInputs(instance.inputs ?? [], defInputs);
	const promotions = promotionsOf(instance, (message) => ctx.issues.push({ severity: 'warning', nodeId: id, nodeTitle: title, message }));
	const prefix = `${id}:`;
	const rows = (Array.isArray(def.links) ? def.links : []).map(linkRow).filter((r) => r !== undefined);
	const slotOf = linkSlots(defInputs);

	/** The inner widget (or nested instance value) standing for definition input `slot`. */
	const innerWidget = (slot: number): WidgetRef | undefined => {
		const order = defInputs[slot]?.linkIds;
		const fromInput = rows.filter((r) => r.originId === '-10' && slotOf(r.originSlot, r.id, r.type) === slot);
		if (Array.isArray(order)) fromInput.sort((a, b) => rank(order, a.id) - rank(order, b.id));
		for (const row of fromInput) {
			const targetId = `${prefix}${row.targetId}`;
			const target = ctx.graph.nodes.get(targetId);
			const widget = target?.inputs[row.targetSlot]?.widget;
			if (target && widget) return { nodeId: targetId, input: widget };
			const nested = ctx.instanceSources.get(targetId)?.(row.targetSlot);
			if (nested) return nested;
		}
		return undefined;
	};
	const nameOf = (slot: number): unknown => defInputs[slot]?.name ?? bound.get(slot)?.name;
	const ownValue = (slot: number): WidgetRef | undefined => {
		const name = nameOf(slot);
		const promoted = typeof name === 'string' ? promotions.byInput.get(name) : undefined;
		return promoted ? { value: promoted.value } : innerWidget(slot);
	};
	const boundary = (originSlot: number, linkId: number, type: unknown): FlatLink => {
		const slot = slotOf(originSlot, linkId, type);
		if (slot < 0) return { via: null };
		const input = bound.get(slot);
		if (input && typeof input.link === 'number') return { via: outerLinkKey(input.link) };
		const name = nameOf(slot);
		const promoted = typeof name === 'string' ? promotions.byInput.get(name) : undefined;
		if (promoted) return { via: null, constant: promoted };
		return { via: null, widget: () => innerWidget(slot) };
	};
	// For an enclosing subgraph whose input feeds this instance: instance input index → the value it shows.
	ctx.instanceSources.set(id, (index) => {
		const input = (instance.inputs ?? [])[index];
		for (const [slot, candidate] of bound) if (candidate === input) return ownValue(slot);
		return undefined;
	});
	const outputs = flattenScope(ctx, {
		prefix,
		nodes: Array.isArray(def.nodes) ? def.nodes : [],
		links: Array.isArray(def.links) ? def.links : [],
		boundary,
		stack: [...outer.stack, def.id]
	});
	for (const [innerId, values] of promotions.byInner) {
		const node = ctx.graph.nodes.get(`${prefix}${innerId}`);
		if (!node) continue;
		node.overrides ??= new Map();
		node.writers ??= new Map();
		for (const [name, promoted] of values) {
			node.overrides.set(name, promoted.value);
			node.writers.set(name, promoted.write);
		}
	}
	return (slot) => ({ via: outputs.get(slot) ?? null });
}

interface DefInput {
	name?: unknown;
	type?: unknown;
	linkIds?: unknown;
}

/**
 * Which definition input a link from the input node (-10) belongs to: the input listing it in `linkIds` (saved
 * files can keep a stale origin_slot after inputs were reordered: bp-depth2video's link 377 points at an INT input
 * but carries a COMBO and is listed by no input). A link no input lists keeps its origin_slot when the types agree,
 * else it is dangling (-1). Files without linkIds: origin_slot.
 */
function linkSlots(defInputs: readonly (DefInput | null | undefined)[]): (originSlot: number, linkId: number, type?: unknown) => number {
	const owner = new Map<number, number>();
	let listed = false;
	defInputs.forEach((d, i) => {
		if (!d || !Array.isArray(d.linkIds)) return;
		listed = true;
		for (const id of d.linkIds) if (typeof id === 'number' && !owner.has(id)) owner.set(id, i);
	});
	return (originSlot, linkId, type) => {
		const listedAt = owner.get(linkId);
		if (listedAt !== undefined || !listed) return listedAt ?? originSlot;
		const declared = defInputs[originSlot]?.type;
		return declared === undefined || type === undefined || typesCompatible(typeName(declared), typeName(type)) ? originSlot : -1;
	};
}

function rank(order: unknown[], id: number): number {
	const i = order.indexOf(id);
	return i === -1 ? Number.MAX_SAFE_INTEGER : i;
}

/**
 * Definition input index → the instance input bound to it: by name and type first, then by name, each instance
 * input used once. Without definition inputs (old files) by position.
 */
export function bindInputs(inputs: UiNodeInput[], defInputs: readonly (DefInput | null | undefined)[]): Map<number, UiNodeInput> {
	const bound = new Map<number, UiNodeInput>();
	if (defInputs.length === 0) {
		inputs.forEach((input, i) => bound.set(i, input));
		return bound;
	}
	const taken = new Set<number>();
	const take = (input: UiNodeInput, match: (d: DefInput) => boolean) => {
		const slot = defInputs.findIndex((d, i) => !taken.has(i) && d !== null && typeof d === 'object' && match(d));
		if (slot === -1) return false;
		taken.add(slot);
		bound.set(slot, input);
		return true;
	};
	const pending: UiNodeInput[] = [];
	for (const input of inputs) {
		if (!input || typeof input !== 'object') continue;
		if (!take(input, (d) => d.name === input.name && String(d.type) === String(input.type))) pending.push(input);
	}
	for (const input of pending) take(input, (d) => d.name === input.name);
	return bound;
}

/**
 * What the instance's widgets_values mean. With properties.proxyWidgets ([innerId, widget] pairs, "-1" for the
 * subgraph's own inputs) they pair up by position; a shorter list leaves the last entries to the inner widgets, a
 * longer one cannot be paired safely and is not applied. null means "the value is inside". Without proxyWidgets,
 * the frontend saves one value per instance input that carries a widget.
 */
function promotionsOf(instance: UiNode, warn: (message: string) => void): Promotions {
	const byInput = new Map<string, PromotedValue>();
	const byInner = new Map<string, Map<string, PromotedValue>>();
	const wv = instance.widgets_values;
	const at = (list: unknown[], i: number): PromotedValue => ({ value: list[i], write: (v) => (list[i] = v) });
	const has = (list: unknown[], i: number) => i < list.length && list[i] !== null && list[i] !== undefined;
	const proxies = instance.properties?.proxyWidgets;
	if (Array.isArray(proxies)) {
		if (!Array.isArray(wv)) return { byInput, byInner };
		if (wv.length > proxies.length) {
			if (wv.some((v) => v !== null)) warn('The values shown on this subgraph do not line up with its promoted widgets; the values inside the subgraph were used.');
			return { byInput, byInner };
		}
		proxies.forEach((p, i) => {
			if (!Array.isArray(p) || typeof p[1] !== 'string' || !has(wv, i) || p[1] === 'control_after_generate') return;
			const inner = String(p[0]);
			if (inner === '-1') byInput.set(p[1], at(wv, i));
			else byInner.set(inner, (byInner.get(inner) ?? new Map<string, PromotedValue>()).set(p[1], at(wv, i)));
		});
		return { byInput, byInner };
	}
	if (!wv) return { byInput, byInner };
	let i = 0;
	for (const input of instance.inputs ?? []) {
		const name = input?.widget?.name;
		if (typeof name !== 'string') continue;
		if (Array.isArray(wv)) {
			if (has(wv, i)) byInput.set(input.name ?? name, at(wv, i));
			i++;
		} else if (Object.hasOwn(wv, name) && wv[name] !== null) byInput.set(input.name ?? name, { value: wv[name], write: (v) => (wv[name] = v) });
	}
	return { byInput, byInner };
}
