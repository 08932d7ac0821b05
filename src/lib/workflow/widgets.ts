// Which inputs of a node definition are widgets, and how a UI node's widgets_values line up with them (§4.3 step 1).
// The V3 expansion (dynamic combos, autogrow) lives in v3-inputs.ts; this module keeps the static view of a fresh
// node (each dynamic combo at its first option) for callers that have no values at hand.
import type { InputSpec, NodeDef } from '../comfy/types';
import { type InputSlot, type SlotContext, isWidgetInput, widgetEntries } from './v3-inputs';

export { comboOptions, orderedInputs, specDefault, specOptions, specType } from './input-spec';

export type WidgetRole = InputSlot['role'];

export interface WidgetSlot {
	/** The input name; extras (control/filter/upload) carry the name of the value widget they follow. */
	name: string;
	role: WidgetRole;
	spec: InputSpec;
}

export function isWidgetSpec(spec: unknown): spec is InputSpec {
	if (!Array.isArray(spec) || spec.length === 0) return false;
	return isWidgetInput('', spec as InputSpec);
}

const slotCache = new WeakMap<NodeDef, readonly InputSlot[]>();

/**
 * The value slots a fresh node's widgets_values array holds, in order, extras included (dynamic combos at their
 * default option). Cached per definition. For a saved node use nodeWidgetSlots, which follows its values.
 */
export function widgetSlots(def: NodeDef): readonly InputSlot[] {
	let slots = slotCache.get(def);
	if (!slots) {
		slots = Object.freeze(widgetEntries(def));
		slotCache.set(def, slots);
	}
	return slots;
}

/** The widget slots of a node with these values and saved inputs (dynamic combos follow their chosen option). */
export function nodeWidgetSlots(def: NodeDef, ctx: SlotContext): readonly InputSlot[] {
	if (!ctx.value && !ctx.saved && !ctx.assumeWidgets) return widgetSlots(def);
	return widgetEntries(def, ctx);
}

/** Index of each value widget in widgets_values. */
export function valueIndex(slots: readonly WidgetSlot[]): Map<string, number> {
	const m = new Map<string, number>();
	slots.forEach((s, i) => {
		if (s.role === 'value') m.set(s.name, i);
	});
	return m;
}
