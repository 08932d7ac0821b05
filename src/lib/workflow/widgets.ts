// Which inputs of a node definition are widgets, and how a UI node's widgets_values line up with them (§4.3 step 1).
import type { InputOptions, InputSpec, NodeDef } from '../comfy/types';

/** Scalar widget types the official frontend renders from /object_info (legacy list combos are detected separately). */
const WIDGET_TYPES = new Set([
	'INT',
	'FLOAT',
	'STRING',
	'BOOLEAN',
	'COMBO',
	'MARKDOWN',
	'COLOR',
	'WEBCAM',
	'LOAD_3D',
	'LOAD_3D_ANIMATION'
]);

export type WidgetRole = 'value' | 'control' | 'filter' | 'upload';

export interface WidgetSlot {
	/** The input name; extras (control/filter/upload) carry the name of the value widget they follow. */
	name: string;
	role: WidgetRole;
	spec: InputSpec;
}

export function specType(spec: InputSpec): string {
	const t = spec[0];
	return Array.isArray(t) ? 'COMBO' : String(t);
}

export function specOptions(spec: InputSpec): InputOptions {
	const o = spec[1];
	return o && typeof o === 'object' && !Array.isArray(o) ? o : {};
}

/** Options of a combo spec, legacy (type is the list) or new (`COMBO` with `options`). */
export function comboOptions(spec: InputSpec): unknown[] | undefined {
	if (Array.isArray(spec[0])) return spec[0];
	if (spec[0] === 'COMBO') {
		const o = specOptions(spec).options;
		return Array.isArray(o) ? o : [];
	}
	return undefined;
}

export function isWidgetSpec(spec: unknown): spec is InputSpec {
	if (!Array.isArray(spec) || spec.length === 0) return false;
	const s = spec as InputSpec;
	if (specOptions(s).forceInput) return false;
	return Array.isArray(s[0]) || (typeof s[0] === 'string' && WIDGET_TYPES.has(s[0]));
}

/** Input names of a definition in the frontend's order: input_order when given, else key order. */
export function orderedInputs(def: NodeDef): [string, InputSpec][] {
	const out: [string, InputSpec][] = [];
	for (const section of ['required', 'optional'] as const) {
		const specs = def.input?.[section] ?? {};
		const order = def.input_order?.[section] ?? Object.keys(specs);
		for (const name of order) {
			const spec = specs[name];
			if (spec) out.push([name, spec]);
		}
	}
	return out;
}

/** The default the frontend gives a fresh widget. */
export function specDefault(spec: InputSpec): unknown {
	const o = specOptions(spec);
	if (o.default !== undefined) return o.default;
	const combo = comboOptions(spec);
	if (combo) return combo[0];
	switch (specType(spec)) {
		case 'INT':
		case 'FLOAT':
			return typeof o.min === 'number' && o.min > 0 ? o.min : 0;
		case 'BOOLEAN':
			return false;
		case 'STRING':
			return '';
		default:
			return undefined;
	}
}

const slotCache = new WeakMap<NodeDef, readonly WidgetSlot[]>();

/** The value slots a node's widgets_values array holds, in order, extras included. Cached per definition. */
export function widgetSlots(def: NodeDef): readonly WidgetSlot[] {
	let slots = slotCache.get(def);
	if (!slots) {
		slots = Object.freeze(computeSlots(def));
		slotCache.set(def, slots);
	}
	return slots;
}

function computeSlots(def: NodeDef): WidgetSlot[] {
	const slots: WidgetSlot[] = [];
	for (const [name, spec] of orderedInputs(def)) {
		if (!isWidgetSpec(spec)) continue;
		slots.push({ name, role: 'value', spec });
		const type = specType(spec);
		const o = specOptions(spec);
		const cag = o.control_after_generate;
		if (type === 'INT' && (cag ? true : cag === undefined && (name === 'seed' || name === 'noise_seed'))) {
			slots.push({ name, role: 'control', spec });
		} else if (type === 'COMBO' && cag) {
			slots.push({ name, role: 'control', spec });
			slots.push({ name, role: 'filter', spec });
		}
		if (o.image_upload || o.video_upload || o.audio_upload) slots.push({ name, role: 'upload', spec });
	}
	return slots;
}

/** Index of each value widget in widgets_values. */
export function valueIndex(slots: readonly WidgetSlot[]): Map<string, number> {
	const m = new Map<string, number>();
	slots.forEach((s, i) => {
		if (s.role === 'value') m.set(s.name, i);
	});
	return m;
}
