// Lines a saved node's widgets_values up with today's definition of its class. The frontend assigns them by
// position; when a node gained, lost or retyped an input since the save, that sends values one field off. Here
// every value is checked against the slot it lands on (kind, combo option, control mode); when the positional
// layout does not fit, layouts with up to MAX_SHIFT values missing (new inputs) or extra (removed inputs) are tried,
// and one is used only when it is the single best fit. Otherwise the positional values stay and the inputs whose
// value is uncertain are reported, so nothing is sent one field off without the user being told.
import type { NodeDef } from '../comfy/types';
import type { ConvertIssueKind } from './types';
import { comboOptions, specDefault, specOptions, specType } from './input-spec';
import { type InputSlot, inputSlots, widgetEntries } from './v3-inputs';

const MAX_SHIFT = 3;
const MAX_TRIES = 20_000;
const CONTROL_VALUES = new Set(['fixed', 'increment', 'decrement', 'randomize', 'increment-wrap']);

export interface PlacementIssue {
	kind: ConvertIssueKind;
	inputNames: string[];
	message: string;
}

export interface Placement {
	/** The widget slots of the layout used (extras included). */
	slots: InputSlot[];
	/** Value per slot; `undefined` where the save has none (the caller fills the default). */
	values: unknown[];
	issue?: PlacementIssue;
}

type Values = unknown[] | Record<string, unknown> | undefined;

interface Candidate {
	/** Layout positions with no saved value (inputs newer than the save). */
	missing: ReadonlySet<number>;
	/** widgets_values indexes that belong to no input today (inputs removed since the save). */
	dropped: ReadonlySet<number>;
	assume: ReadonlySet<string>;
}

interface Scored {
	c: Candidate;
	slots: InputSlot[];
	values: unknown[];
	soft: number;
	misfits: string[];
	exact: boolean;
}

const EMPTY = new Set<never>();

export function placeValues(def: NodeDef, wv: Values, saved: ReadonlyMap<string, boolean>, overrides?: ReadonlyMap<string, unknown>): Placement {
	if (!Array.isArray(wv)) {
		const byName = wv && typeof wv === 'object' ? wv : {};
		const read = (name: string) => (overrides?.has(name) ? overrides.get(name) : Object.hasOwn(byName, name) ? byName[name] : undefined);
		const slots = widgetEntries(def, { value: read, saved });
		return { slots, values: slots.map((s) => (s.role === 'value' ? read(s.name) : undefined)) };
	}
	const base = score(def, wv, saved, overrides, { missing: EMPTY, dropped: EMPTY, assume: EMPTY });
	if (base.exact && base.misfits.length === 0) return { slots: base.slots, values: base.values };
	const n = effectiveLength(wv, base.slots.length);
	const positional = score(def, wv.slice(0, n), saved, overrides, { missing: EMPTY, dropped: EMPTY, assume: EMPTY });
	if (positional.exact && positional.misfits.length === 0) return { slots: positional.slots, values: positional.values };

	const kept = wv.slice(0, n);
	let fits: Scored[] = [];
	// The smallest change that explains the save wins: one new input before two, a guessed widget before a shift.
	for (let level = 1; level <= MAX_SHIFT + 1 && fits.length === 0; level++) {
		fits = candidates(def, kept, saved, positional.slots.length, level)
			.map((c) => score(def, kept, saved, overrides, c))
			.filter((f) => f.exact && f.misfits.length === 0);
	}
	const pos = trailingLayout(def, kept, saved, overrides, positional);
	if (pos && !fits.some((f) => sameLayout(f, pos))) fits.push(pos);
	const best = Math.max(...fits.map((f) => f.soft));
	const top = distinct(fits.filter((f) => f.soft === best));

	if (top.length === 1) {
		const [only] = top;
		if (pos && sameValues(only, pos)) return { slots: pos.slots, values: pos.values };
		return { slots: only.slots, values: only.values, issue: realignedIssue(only, wv) };
	}
	// Ambiguous or no fit: the frontend's positional values unless they are certainly wrong, and the inputs whose
	// value is uncertain named.
	const chosen = pos && top.some((t) => sameValues(t, pos)) ? pos : positional.misfits.length > 0 && top.length > 0 ? top[0] : (pos ?? positional);
	const uncertain = new Set<string>(chosen.misfits);
	const mine = namedValues(chosen);
	for (const other of top.map(namedValues)) {
		for (const [name, value] of mine) if (!other.has(name) || other.get(name) !== value) uncertain.add(name);
	}
	if (top.length === 0 && !pos) {
		chosen.slots.forEach((s, i) => {
			if (s.role === 'value' && (i >= n || chosen.values[i] === undefined)) uncertain.add(s.name);
		});
	}
	const list = chosen.slots.filter((s) => s.role === 'value' && uncertain.has(s.name)).map((s) => s.name);
	return {
		slots: chosen.slots,
		values: chosen.values,
		issue: {
			kind: 'schema-changed',
			inputNames: list,
			message: `its ${wv.length} saved values do not fit today's inputs (${chosen.slots.length} widget values) in one clear way; check ${list.join(', ') || 'its settings'}.`
		}
	};
}

function realignedIssue(only: Scored, wv: unknown[]): PlacementIssue {
	const newInputs = only.slots.filter((s, i) => s.role === 'value' && only.c.missing.has(i)).map((s) => s.name);
	const newExtras = only.slots.filter((s, i) => s.role !== 'value' && only.c.missing.has(i)).map((s) => `the ${s.role} value of ${s.name}`);
	const ignored = [...only.c.dropped].map((i) => JSON.stringify(wv[i])?.slice(0, 40));
	const one = (list: unknown[], a: string, b: string) => (list.length === 1 ? a : b);
	const what = [
		newInputs.length > 0 ? `${newInputs.join(', ')} ${one(newInputs, 'is', 'are')} new and got the default` : '',
		newExtras.length > 0 ? `${newExtras.join(', ')} ${one(newExtras, 'is', 'are')} new` : '',
		ignored.length > 0 ? `saved value${one(ignored, '', 's')} ${ignored.join(', ')} belong${one(ignored, 's', '')} to no input today and ${one(ignored, 'was', 'were')} left out` : ''
	].filter(Boolean);
	return { kind: 'realigned', inputNames: newInputs, message: `its saved values were matched to today's inputs by kind: ${what.join('; ')}.` };
}

/** Input name → the value it would get (defaults filled), as JSON for comparison. */
function namedValues(s: Scored): Map<string, string> {
	const m = new Map<string, string>();
	s.slots.forEach((slot, i) => {
		if (slot.role === 'value') m.set(slot.name, JSON.stringify(s.values[i] ?? slotDefault(slot)) ?? 'undefined');
	});
	return m;
}

/** Whether two layouts give every input they both send the same value (one may send an unknown-type widget more). */
function sameValues(a: Scored, b: Scored): boolean {
	const x = namedValues(a);
	const y = namedValues(b);
	return [...x].every(([k, v]) => !y.has(k) || y.get(k) === v) && (x.size === y.size || a.c.assume.size !== b.c.assume.size);
}

/** Layouts that give different values; of equal ones the one reading more inputs as widgets is kept. */
function distinct(list: Scored[]): Scored[] {
	const out: Scored[] = [];
	for (const s of [...list].sort((a, b) => b.c.assume.size - a.c.assume.size)) if (!out.some((o) => sameValues(o, s))) out.push(s);
	return out;
}

/** Saved length without trailing nulls past the layout (frontend-only widgets such as previews save null). */
function effectiveLength(wv: unknown[], m: number): number {
	let n = wv.length;
	while (n > m && (wv[n - 1] === null || wv[n - 1] === undefined)) n--;
	return n;
}

/** The frontend's own reading: values from the first slot on, missing ones at the end, extra ones ignored. */
function trailingLayout(def: NodeDef, wv: unknown[], saved: ReadonlyMap<string, boolean>, overrides: ReadonlyMap<string, unknown> | undefined, positional: Scored): Scored | undefined {
	const m = positional.slots.length;
	if (wv.length < m) {
		const missing = new Set<number>();
		for (let i = wv.length; i < m; i++) missing.add(i);
		const s = score(def, wv, saved, overrides, { missing, dropped: EMPTY, assume: EMPTY });
		return s.exact && s.misfits.length === 0 ? s : undefined;
	}
	if (wv.length > m) {
		const dropped = new Set<number>();
		for (let i = m; i < wv.length; i++) dropped.add(i);
		const s = score(def, wv, saved, overrides, { missing: EMPTY, dropped, assume: EMPTY });
		return s.exact && s.misfits.length === 0 ? s : undefined;
	}
	return undefined;
}

function sameLayout(a: Scored, b: Scored): boolean {
	const eq = (x: ReadonlySet<unknown>, y: ReadonlySet<unknown>) => x.size === y.size && [...x].every((v) => y.has(v));
	return eq(a.c.missing, b.c.missing) && eq(a.c.dropped, b.c.dropped) && eq(a.c.assume, b.c.assume);
}

function* subsets<T>(items: T[], k: number, start = 0, acc: T[] = []): Generator<T[]> {
	if (acc.length === k) {
		yield [...acc];
		return;
	}
	for (let i = start; i < items.length; i++) {
		acc.push(items[i]);
		yield* subsets(items, k, i + 1, acc);
		acc.pop();
	}
}

/** Layouts that change `level` things: k values missing or k extra, plus inputs of unknown type read as widgets. */
function candidates(def: NodeDef, wv: unknown[], saved: ReadonlyMap<string, boolean>, m: number, level: number): Candidate[] {
	// An input of a type this app does not draw, absent from a saved node that lists its other inputs: the saving
	// frontend drew a widget for it (frontends before 1.16 saved no input entry for widgets).
	const unknown =
		saved.size === 0
			? []
			: inputSlots(def, { saved })
					.filter((s) => !s.widget && s.kind === 'socket' && !saved.has(s.name) && !specOptions(s.spec).forceInput)
					.map((s) => s.name)
					.slice(0, 3);
	const out: Candidate[] = [];
	const positions = (len: number) => Array.from({ length: len }, (_, i) => i);
	for (let a = 0; a <= Math.min(level, unknown.length); a++) {
		const k = level - a;
		if (k > MAX_SHIFT) continue;
		for (const assumeList of subsets(unknown, a)) {
			const assume = new Set(assumeList);
			if (k === 0) {
				out.push({ missing: EMPTY, dropped: EMPTY, assume });
				continue;
			}
			for (const miss of subsets(positions(m + assume.size + k), k)) {
				if (out.length >= MAX_TRIES) return out;
				out.push({ missing: new Set(miss), dropped: EMPTY, assume });
			}
			for (const drop of subsets(positions(wv.length), k)) {
				if (out.length >= MAX_TRIES) return out;
				out.push({ missing: EMPTY, dropped: new Set(drop), assume });
			}
		}
	}
	return out;
}

function score(def: NodeDef, wv: unknown[], saved: ReadonlyMap<string, boolean>, overrides: ReadonlyMap<string, unknown> | undefined, c: Candidate): Scored {
	const kept = c.dropped.size > 0 ? wv.filter((_, i) => !c.dropped.has(i)) : wv;
	const missingBefore = (p: number) => {
		let k = 0;
		for (const q of c.missing) if (q < p) k++;
		return k;
	};
	const at = (p: number): unknown => {
		if (p < 0 || c.missing.has(p)) return undefined;
		return kept[p - missingBefore(p)];
	};
	const read = (name: string, p: number) => (overrides?.has(name) ? overrides.get(name) : at(p));
	const slots = widgetEntries(def, { value: read, saved, assumeWidgets: c.assume });
	const values = slots.map((_, i) => at(i));
	let soft = 0;
	const misfits: string[] = [];
	slots.forEach((slot, i) => {
		if (c.missing.has(i)) return;
		const v = overrides?.has(slot.name) && slot.role === 'value' ? overrides.get(slot.name) : values[i];
		const fit = fitOf(slot, v);
		if (fit < 0) misfits.push(slot.name);
		else soft += fit;
	});
	const consumed = slots.length - [...c.missing].filter((p) => p < slots.length).length;
	const missingInside = [...c.missing].every((p) => p < slots.length);
	return { c, slots, values, soft, misfits, exact: consumed === kept.length && missingInside };
}

/** -1: the value cannot belong to this slot; 0: it can; 1: it fits closely (a listed option, in range). */
export function fitOf(slot: InputSlot, v: unknown): number {
	if (v === null || v === undefined) return 0;
	if (slot.role === 'control') return (typeof v === 'string' && CONTROL_VALUES.has(v)) || typeof v === 'boolean' ? 1 : -1;
	if (slot.role === 'filter') return typeof v === 'string' ? 0 : -1;
	if (slot.role === 'upload') return 0;
	if (slot.kind === 'dynamic-combo') return typeof v === 'string' && (slot.options ?? []).includes(v) ? 1 : -1;
	const type = specType(slot.spec);
	const o = specOptions(slot.spec);
	switch (type) {
		case 'INT':
		case 'FLOAT': {
			if (typeof v !== 'number') return -1;
			const inRange = (typeof o.min !== 'number' || v >= o.min) && (typeof o.max !== 'number' || v <= o.max);
			return inRange && (type === 'FLOAT' || Number.isInteger(v)) ? 1 : 0;
		}
		case 'BOOLEAN':
			return typeof v === 'boolean' ? 1 : -1;
		case 'STRING':
			return typeof v === 'string' ? 0 : -1;
		case 'COMBO': {
			if (slot.multiselect) return Array.isArray(v) ? 0 : -1;
			if (typeof v !== 'string' && typeof v !== 'number') return -1;
			const options = comboOptions(slot.spec) ?? [];
			if (options.includes(v)) return 1;
			// A list of names takes a name, never a bare number (a number here is another input's value).
			if (typeof v === 'number' && options.length > 0 && options.every((o) => typeof o === 'string')) return -1;
			// A fixed choice list (not files, which differ from server to server) takes one of its choices.
			return slot.remote || options.length === 0 || isFileName(v) || options.some(isFileName) ? 0 : -1;
		}
		default:
			return 0;
	}
}

const isFileName = (o: unknown) => typeof o === 'string' && /\.[a-z0-9]{2,12}$/i.test(o);

/** The value sent for a slot the save has nothing for. */
export function slotDefault(slot: InputSlot): unknown {
	return specDefault(slot.spec);
}
