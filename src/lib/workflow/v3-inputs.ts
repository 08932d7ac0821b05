// V3 inputs of a node definition (ComfyUI 0.4x+ /object_info): which inputs a node really has once its dynamic
// combos and autogrow groups are expanded for its current values, in the order the frontend lays them out.
// Pure, never throws on odd specs (a spec it cannot read is a plain socket). Used by the converter (convert.ts,
// widgets.ts) and by the form.
//
// API (stable; the form builds on it):
//   inputSlots(def, ctx?)        → InputSlot[]: every input, widgets in widgets_values order (extras included),
//                                  sockets at their place; dynamic-combo children and autogrow entries dotted
//   widgetEntries(def, ctx?)     → the InputSlot[] that own a widgets_values entry (inputSlots filtered)
//   dynamicComboOptions(spec)    → DynamicOption[] (each option key with its child specs) or undefined
//   autogrowTemplate(spec)       → AutogrowTemplate or undefined;  autogrowEntryName(group, t, ordinal, key)
//   inputKind(spec)              → V3Kind of a spec, before widget/socket evidence
//   isWidgetInput(name, spec, saved?) → whether the frontend draws a widget for it (see below)
//
// Facts (Comfy-Org/ComfyUI_frontend src/core/graph/widgets/dynamicWidgets.ts, read 2026-12; ComfyUI _io.py):
// - COMFY_DYNAMICCOMBO_V3: a combo of option keys (first key when no value); the active option's inputs become
//   inputs named `<combo>.<key>`, required then optional, placed right after the combo (widgets and sockets);
//   a child may itself be a dynamic combo (SaveVideo.format → format.codec → format.codec.encoding) or autogrow.
// - COMFY_AUTOGROW_V3: entries `<group>.<name>` with name = names[i], or prefix+i for a one-input template, else
//   the template key + i; min defaults to 1, max to 100 (names: their count). Entries below min are required.
// - COMFY_MATCHTYPE_V3: a socket under its own name accepting `allowed_types` ("*" = any).
// - Widget or socket: forceInput → socket; widgetType, a type the frontend draws, or socketless → widget; for any
//   other type the saved node decides (an input entry carrying `widget` means the saving frontend drew one), else
//   socket. So a type this app does not know cannot shift the values after it when the file says what it was.
import type { InputSpec, NodeDef } from '../comfy/types';
import { comboOptions, orderedInputs, specOptions, specType } from './input-spec';

export type V3Kind = 'widget' | 'combo' | 'dynamic-combo' | 'autogrow' | 'matchtype' | 'socket';
/** value: the input's own value; control/filter/upload: frontend-only extras saved after it (never sent). */
export type SlotRole = 'value' | 'control' | 'filter' | 'upload';

export const DYNAMIC_COMBO = 'COMFY_DYNAMICCOMBO_V3';
export const AUTOGROW = 'COMFY_AUTOGROW_V3';
export const MATCHTYPE = 'COMFY_MATCHTYPE_V3';

/** Types the frontend draws as widgets (besides legacy list combos and V3 dynamic combos). */
export const WIDGET_TYPES: ReadonlySet<string> = new Set([
	'INT',
	'FLOAT',
	'STRING',
	'BOOLEAN',
	'COMBO',
	'MARKDOWN',
	'COLOR',
	'WEBCAM',
	'LOAD_3D',
	'LOAD_3D_ANIMATION',
	'CURVE',
	'IMAGECOMPARE',
	'AUDIO_RECORD',
	'PAINTER'
]);

export interface ChildSpec {
	/** The bare key in the option / template (`width`, `image`). */
	key: string;
	spec: InputSpec;
	optional: boolean;
}

export interface DynamicOption {
	key: string;
	inputs: ChildSpec[];
}

export interface AutogrowTemplate {
	inputs: ChildSpec[];
	min: number;
	max: number;
	names?: string[];
	prefix?: string;
}

export type SlotParent =
	| { kind: 'dynamic-combo'; name: string; option: string }
	| { kind: 'autogrow'; name: string; ordinal: number };

export interface InputSlot {
	/** The prompt key: `steps`, `resize_type.width`, `images.image0`, `model.images.image0`. */
	name: string;
	/** Last segment of the name (or the option's display_name) for labels. */
	label: string;
	role: SlotRole;
	kind: V3Kind;
	/** True when the slot owns a widgets_values entry; false for link-only sockets (incl. autogrow entries). */
	widget: boolean;
	/** The spec the slot is drawn from; a dynamic combo's is `["COMBO", {options: keys, …}]`. */
	spec: InputSpec;
	optional: boolean;
	advanced: boolean;
	hidden: boolean;
	/** Socket types accepted, upper case: `["FLOAT","INT"]`, `["IMAGE","MASK"]`, `["*"]`. */
	types: string[];
	/** The dynamic combo option or autogrow group this slot belongs to (innermost). */
	parent?: SlotParent;
	multiselect?: boolean;
	/** Options are fetched by the frontend from a route (`spec[1].remote`); the saved value is kept as is. */
	remote?: boolean;
	/** For dynamic combos: the option keys (also in spec[1].options). */
	options?: string[];
}

export interface SlotContext {
	/** The value a widget holds: by its full name, or for positional saves by its place in widgets_values. */
	value?: (name: string, position: number) => unknown;
	/** Inputs of the saved node (or keys of a prompt node): name → whether it carries a widget. */
	saved?: ReadonlyMap<string, boolean>;
	/** Input names to draw as widgets although nothing says so (the realignment search tries these). */
	assumeWidgets?: ReadonlySet<string>;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const MAX_DEPTH = 8;
const MAX_ENTRIES = 1000;

function childSpecs(inputs: unknown): ChildSpec[] {
	if (!isRecord(inputs)) return [];
	const out: ChildSpec[] = [];
	for (const [section, optional] of [['required', false], ['optional', true]] as const) {
		const specs = inputs[section];
		if (!isRecord(specs)) continue;
		for (const [key, spec] of Object.entries(specs)) {
			if (Array.isArray(spec) && spec.length > 0) out.push({ key, spec: spec as InputSpec, optional });
		}
	}
	return out;
}

export function dynamicComboOptions(spec: InputSpec): DynamicOption[] | undefined {
	if (spec[0] !== DYNAMIC_COMBO) return undefined;
	const options = specOptions(spec).options;
	if (!Array.isArray(options)) return [];
	const out: DynamicOption[] = [];
	for (const o of options) {
		if (isRecord(o) && (typeof o.key === 'string' || typeof o.key === 'number')) out.push({ key: String(o.key), inputs: childSpecs(o.inputs) });
	}
	return out;
}

export function autogrowTemplate(spec: InputSpec): AutogrowTemplate | undefined {
	if (spec[0] !== AUTOGROW) return undefined;
	const t = specOptions(spec).template;
	if (!isRecord(t)) return { inputs: [], min: 0, max: 0 };
	const names = Array.isArray(t.names) ? t.names.map(String) : undefined;
	const num = (v: unknown, d: number) => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? Math.floor(v) : d);
	return {
		inputs: childSpecs(t.input),
		min: num(t.min, 1),
		max: Math.min(names ? names.length : num(t.max, 100), MAX_ENTRIES),
		...(names ? { names } : {}),
		...(typeof t.prefix === 'string' ? { prefix: t.prefix } : {})
	};
}

/** Name of the entry `ordinal` of template input `key` in autogrow group `group` (a full, maybe dotted, name). */
export function autogrowEntryName(group: string, t: AutogrowTemplate, ordinal: number, key: string): string {
	const base = t.names ? (t.names[ordinal] ?? `${key}${ordinal}`) : `${t.inputs.length === 1 ? (t.prefix ?? '') : key}${ordinal}`;
	return `${group}.${base}`;
}

export function inputKind(spec: InputSpec): V3Kind {
	const t = spec[0];
	if (t === DYNAMIC_COMBO) return 'dynamic-combo';
	if (t === AUTOGROW) return 'autogrow';
	if (t === MATCHTYPE) return 'matchtype';
	if (specType(spec) === 'COMBO') return specOptions(spec).forceInput ? 'socket' : 'combo';
	return isWidgetInput('', spec) ? 'widget' : 'socket';
}

export function isWidgetInput(name: string, spec: InputSpec, saved?: ReadonlyMap<string, boolean>, assume?: ReadonlySet<string>): boolean {
	const t = spec[0];
	if (t === DYNAMIC_COMBO) return true;
	if (t === AUTOGROW || t === MATCHTYPE) return false;
	const o = specOptions(spec);
	if (o.forceInput) return false;
	if (Array.isArray(t) || WIDGET_TYPES.has(specType(spec))) return true;
	if (typeof o.widgetType === 'string' && o.widgetType !== '') return true;
	const evidence = saved?.get(name);
	if (evidence !== undefined) return evidence;
	if (assume?.has(name)) return true;
	return o.socketless === true;
}

function typesOf(spec: InputSpec): string[] {
	const t = spec[0];
	if (Array.isArray(t)) return ['COMBO'];
	if (t === MATCHTYPE) {
		const tmpl = specOptions(spec).template;
		const allowed = isRecord(tmpl) && typeof tmpl.allowed_types === 'string' ? tmpl.allowed_types : '*';
		return splitTypes(allowed);
	}
	return splitTypes(String(t));
}

function splitTypes(t: string): string[] {
	const list = t.split(',').map((s) => s.trim().toUpperCase()).filter((s) => s !== '');
	return list.length > 0 ? list : ['*'];
}

interface Walk {
	ctx: SlotContext;
	out: InputSlot[];
	/** Number of widgets_values entries laid out so far. */
	position: number;
}

export function inputSlots(def: NodeDef, ctx: SlotContext = {}): InputSlot[] {
	const walk: Walk = { ctx, out: [], position: 0 };
	for (const [name, spec] of orderedInputs(def)) {
		const optional = !Object.hasOwn(def.input?.required ?? {}, name);
		addInput(walk, name, name, spec, optional, undefined, 0);
	}
	return walk.out;
}

export function widgetEntries(def: NodeDef, ctx: SlotContext = {}): InputSlot[] {
	return inputSlots(def, ctx).filter((s) => s.widget);
}

function addInput(walk: Walk, name: string, label: string, spec: InputSpec, optional: boolean, parent: SlotParent | undefined, depth: number): void {
	if (depth > MAX_DEPTH || walk.out.length > MAX_ENTRIES) return;
	const o = specOptions(spec);
	const base = {
		label,
		optional,
		advanced: o.advanced === true,
		hidden: o.hidden === true,
		...(parent ? { parent } : {})
	};
	const options = dynamicComboOptions(spec);
	if (options) {
		const keys = options.map((x) => x.key);
		const comboSpec: InputSpec = ['COMBO', { ...o, options: keys, default: keys.includes(String(o.default)) ? String(o.default) : keys[0] }];
		const position = walk.position++;
		walk.out.push({ ...base, name, role: 'value', kind: 'dynamic-combo', widget: true, spec: comboSpec, types: ['COMBO'], options: keys });
		const raw = walk.ctx.value?.(name, position);
		const chosen = options.find((x) => x.key === String(raw ?? comboSpec[1]?.default));
		for (const child of chosen?.inputs ?? []) {
			addInput(walk, `${name}.${child.key}`, child.key, child.spec, child.optional, { kind: 'dynamic-combo', name, option: chosen!.key }, depth + 1);
		}
		return;
	}
	const template = autogrowTemplate(spec);
	if (template) {
		addAutogrow(walk, name, template, optional, depth);
		return;
	}
	const kind = inputKind(spec);
	const widget = isWidgetInput(name, spec, walk.ctx.saved, walk.ctx.assumeWidgets);
	const slot: InputSlot = { ...base, name, role: 'value', kind: widget ? (kind === 'socket' ? 'widget' : kind) : kind === 'matchtype' ? 'matchtype' : 'socket', widget, spec, types: typesOf(spec) };
	if (o.multiselect === true) slot.multiselect = true;
	if (o.remote !== undefined && o.remote !== false) slot.remote = true;
	walk.out.push(slot);
	if (!widget) return;
	walk.position++;
	for (const role of extrasOf(name, spec)) {
		walk.out.push({ ...slot, role });
		walk.position++;
	}
}

/** Frontend-only values saved after a widget: seed control, combo control + filter, upload button. */
function extrasOf(name: string, spec: InputSpec): SlotRole[] {
	const type = specType(spec);
	const o = specOptions(spec);
	const cag = o.control_after_generate;
	const out: SlotRole[] = [];
	if (type === 'INT' && (cag ? true : cag === undefined && (name === 'seed' || name === 'noise_seed'))) out.push('control');
	else if (type === 'COMBO' && cag) out.push('control', 'filter');
	if (o.image_upload || o.video_upload || o.audio_upload) out.push('upload');
	return out;
}

/**
 * Autogrow entries: every entry the node has (saved input or value present), at least `min`, at most `max`.
 * The trailing empty slot the frontend keeps for the next link is not listed: it sends nothing.
 */
function addAutogrow(walk: Walk, group: string, t: AutogrowTemplate, optional: boolean, depth: number): void {
	const has = (n: string) => walk.ctx.saved?.has(n) === true || walk.ctx.value?.(n, -1) !== undefined;
	let count = Math.min(t.min, t.max);
	for (let i = 0; i < t.max; i++) {
		if (t.inputs.some((c) => has(autogrowEntryName(group, t, i, c.key)))) count = Math.max(count, i + 1);
	}
	for (let i = 0; i < count; i++) {
		for (const c of t.inputs) {
			const name = autogrowEntryName(group, t, i, c.key);
			const label = name.slice(group.length + 1);
			addInput(walk, name, label, c.spec, optional || c.optional || i >= t.min, { kind: 'autogrow', name: group, ordinal: i }, depth + 1);
		}
	}
}

/** Options of a combo slot (dynamic combo keys, V3 `options`, legacy list). */
export function slotOptions(slot: InputSlot): unknown[] | undefined {
	return slot.options ?? comboOptions(slot.spec);
}
