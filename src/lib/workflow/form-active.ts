// Which fields of a form are in effect for the values being edited: a dynamic combo's sub-fields only while their
// option is chosen, an autogrow entry's fields only while the entry is in its list, and never below an owner that
// is itself out. Also keeps every owned field right after its owner, whatever order the owners are put in.
import type { Field, FormModel } from './types';

export function valueOf(field: Field, values: Record<string, unknown>): unknown {
	return Object.hasOwn(values, field.id) ? values[field.id] : field.default;
}

/** The field a sub-field or entry field belongs to (its dynamic combo or autogrow list). */
export function ownerId(field: Field): string | undefined {
	return field.parent?.id ?? field.entry?.list;
}

/** The ordinals an autogrow list holds (its value, read leniently). */
export function entryOrdinals(value: unknown): number[] {
	return Array.isArray(value) ? value.filter((n): n is number => typeof n === 'number' && Number.isInteger(n) && n >= 0) : [];
}

/** Ids of the fields in effect. */
export function activeIds(model: FormModel, values: Record<string, unknown>): Set<string> {
	const byId = new Map(model.fields.map((f) => [f.id, f]));
	const memo = new Map<string, boolean>();
	const isActive = (field: Field, depth: number): boolean => {
		const known = memo.get(field.id);
		if (known !== undefined) return known;
		let on = true;
		const owner = byId.get(ownerId(field) ?? '');
		if (ownerId(field) !== undefined) {
			if (!owner || depth > 32 || !isActive(owner, depth + 1)) on = false;
			else if (field.parent) on = String(valueOf(owner, values)) === field.parent.option;
			else if (field.entry) on = entryOrdinals(valueOf(owner, values)).includes(field.entry.ordinal);
		}
		memo.set(field.id, on);
		return on;
	};
	return new Set(model.fields.filter((f) => isActive(f, 0)).map((f) => f.id));
}

/** The field in effect for a prompt input (`resize_type.width` of node 5), whichever option it belongs to. */
export function activeFieldFor(model: FormModel, values: Record<string, unknown>, nodeId: string, input: string): Field | undefined {
	const plain = model.fields.find((f) => f.id === `${nodeId}.${input}`);
	if (plain) return plain;
	const candidates = model.fields.filter((f) => f.nodeId === nodeId && f.input === input);
	if (candidates.length <= 1) return candidates[0];
	const active = activeIds(model, values);
	return candidates.find((f) => active.has(f.id));
}

/**
 * Owners in the given order, each followed by what it owns (in the given order, recursively). Owned fields whose
 * owner is not in the list (hidden by curation) are left out with it.
 */
export function familyOrder(fields: readonly Field[]): Field[] {
	const ids = new Set(fields.map((f) => f.id));
	const owned = new Map<string, Field[]>();
	for (const f of fields) {
		const owner = ownerId(f);
		if (owner !== undefined && ids.has(owner)) owned.set(owner, [...(owned.get(owner) ?? []), f]);
	}
	const out: Field[] = [];
	const emit = (f: Field, depth: number): void => {
		out.push(f);
		if (depth < 32) for (const child of owned.get(f.id) ?? []) emit(child, depth + 1);
	};
	for (const f of fields) if (ownerId(f) === undefined) emit(f, 0);
	return out;
}
