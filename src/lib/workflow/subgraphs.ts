// Subgraph instances (node type = a definitions.subgraphs[] id), expanded into their inner nodes with path ids
// "<instance id>:<inner id>". Links from the input node (-10) stand for the instance's outer inputs; values the
// instance shows for promoted widgets become constants or override the inner widgets.
import type { SubgraphDefinition, UiNode } from './types';
import type { FlatLink, PromotedValue } from './graph';
import type { FlattenContext, Scope } from './flatten';

const MAX_DEPTH = 16;

type FlattenScope = (ctx: FlattenContext, scope: Scope) => Map<number, string>;

interface Promotions {
	/** Values for the subgraph's own inputs, by input (widget) name: used when the outer input is unconnected. */
	byInput: Map<string, PromotedValue>;
	/** Values for inner widgets: inner node id → widget name → value (frontends with properties.proxyWidgets). */
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
	const inputs = instance.inputs ?? [];
	const promotions = promotionsOf(instance, (message) => ctx.issues.push({ severity: 'warning', nodeId: id, nodeTitle: title, message }));
	const boundary = (slot: number): FlatLink => {
		const input = inputs[slot];
		if (input && typeof input.link === 'number') return { via: outerLinkKey(input.link) };
		for (const name of [input?.widget?.name, input?.name, def.inputs?.[slot]?.name]) {
			const promoted = typeof name === 'string' ? promotions.byInput.get(name) : undefined;
			if (promoted) return { via: null, constant: promoted };
		}
		return { via: null };
	};
	const prefix = `${id}:`;
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

/**
 * What the instance's widgets_values mean. With properties.proxyWidgets ([innerId, widget] pairs, "-1" for the
 * subgraph's own inputs) they pair up by position, but only when both lists have the same length: otherwise a
 * positional guess would give values to the wrong widgets, so none are applied. Without proxyWidgets, older
 * frontends list one value per instance input that carries a widget.
 */
function promotionsOf(instance: UiNode, warn: (message: string) => void): Promotions {
	const byInput = new Map<string, PromotedValue>();
	const byInner = new Map<string, Map<string, PromotedValue>>();
	const wv = instance.widgets_values;
	const at = (list: unknown[], i: number): PromotedValue => ({ value: list[i], write: (v) => (list[i] = v) });
	const proxies = instance.properties?.proxyWidgets;
	if (Array.isArray(proxies)) {
		if (!Array.isArray(wv) || wv.length !== proxies.length) {
			if (proxies.length > 0) warn('The values shown on this subgraph do not line up with its promoted widgets; the values inside the subgraph were used.');
			return { byInput, byInner };
		}
		proxies.forEach((p, i) => {
			if (!Array.isArray(p) || typeof p[1] !== 'string') return;
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
			if (i < wv.length) byInput.set(name, at(wv, i));
			i++;
		} else if (name in wv) byInput.set(name, { value: wv[name], write: (v) => (wv[name] = v) });
	}
	return { byInput, byInner };
}
