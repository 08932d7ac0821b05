// Edits to a form's curation (show/hide, promote out of "advanced", rename, reorder, group). Pure: each returns
// a new Curation; the workflow itself is never changed.
import { applyCuration } from '../../workflow';
import { ownerId } from '../../workflow/form-active';
import type { Curation, Field, FormModel } from '../../workflow/types';

export interface CurationRow {
	field: Field;
	label: string;
	hidden: boolean;
	/** Moved out of "advanced" to the front by the user. */
	promoted: boolean;
	advanced: boolean;
	group: string;
}

/** Every field of the uncurated form, in the curated order, with what the user changed about it. */
export function curationRows(base: FormModel, curation: Curation): CurationRow[] {
	const hidden = new Set(curation.hidden ?? []);
	const shown = new Set(curation.shown ?? []);
	// The engine lays the curation over the form; with nothing hidden it also yields the hidden fields' places.
	const laid = applyCuration(base, { ...curation, hidden: [] });
	const original = new Map(base.fields.map((f) => [f.id, f]));
	// Sub-fields of dynamic combos and list entries move, hide and group with their owner: they get no row.
	return laid.fields.filter((f) => ownerId(f) === undefined).map((f) => ({
		field: original.get(f.id) ?? f,
		label: f.label,
		hidden: hidden.has(f.id),
		promoted: shown.has(f.id),
		advanced: f.advanced,
		group: f.group
	}));
}

function toggle(list: string[] | undefined, id: string, on: boolean): string[] {
	const rest = (list ?? []).filter((x) => x !== id);
	return on ? [...rest, id] : rest;
}

export function setHidden(curation: Curation, id: string, hidden: boolean): Curation {
	return { ...curation, hidden: toggle(curation.hidden, id, hidden) };
}

export function setPromoted(curation: Curation, id: string, promoted: boolean): Curation {
	return { ...curation, shown: toggle(curation.shown, id, promoted) };
}

/** An empty or unchanged label goes back to the workflow's own. */
export function setLabel(curation: Curation, field: Field, label: string): Curation {
	const labels = { ...curation.labels };
	const trimmed = label.trim();
	if (!trimmed || trimmed === field.label) delete labels[field.id];
	else labels[field.id] = trimmed;
	return { ...curation, labels };
}

/** Moves a field one place up (-1) or down (+1) among all fields; at either end nothing changes. */
export function moveField(base: FormModel, curation: Curation, id: string, delta: -1 | 1): Curation {
	const ids = curationRows(base, curation).map((r) => r.field.id);
	const from = ids.indexOf(id);
	const to = from + delta;
	if (from < 0 || to < 0 || to >= ids.length) return curation;
	[ids[from], ids[to]] = [ids[to], ids[from]];
	return { ...curation, order: ids };
}

export function setGroup(curation: Curation, field: Field, groupId: string): Curation {
	const groups = { ...curation.groups };
	if (groupId === field.group) delete groups[field.id];
	else groups[field.id] = groupId;
	return { ...curation, groups };
}

/** Adds a user group and returns its id, so a field can be put into it straight away. */
export function addGroup(curation: Curation, title: string): { curation: Curation; groupId: string } {
	const titles = { ...curation.groupTitles };
	let n = Object.keys(titles).length + 1;
	while (`user-${n}` in titles) n++;
	const groupId = `user-${n}`;
	titles[groupId] = title.trim() || `Group ${n}`;
	return { curation: { ...curation, groupTitles: titles }, groupId };
}

export function isEmptyCuration(curation: Curation): boolean {
	return (
		!curation.order?.length &&
		!curation.hidden?.length &&
		!curation.shown?.length &&
		Object.keys(curation.labels ?? {}).length === 0 &&
		Object.keys(curation.groups ?? {}).length === 0 &&
		Object.keys(curation.groupTitles ?? {}).length === 0
	);
}

export interface FormSections {
	front: Field[];
	advanced: { id: string; title: string; fields: Field[] }[];
}

/**
 * The curated form as shown: its front fields in order, then "advanced" fields grouped, groups in first-use order.
 * `active`: the ids of the fields in effect (form-active.ts); others are left out. A sub-field or list entry goes
 * where its owner goes, unless it was chosen up front itself (an App Mode input).
 */
export function formSections(model: FormModel, groupTitles: Record<string, string> = {}, active?: ReadonlySet<string>): FormSections {
	const titles = new Map(model.groups.map((g) => [g.id, g.title]));
	const front: Field[] = [];
	const groups = new Map<string, { id: string; title: string; fields: Field[] }>();
	const placedFront = new Map<string, boolean>();
	for (const field of model.fields) {
		const owner = ownerId(field);
		const up = !field.advanced || (owner !== undefined && placedFront.get(owner) === true);
		placedFront.set(field.id, up);
		if (active && !active.has(field.id)) continue;
		if (up) {
			front.push(field);
			continue;
		}
		let group = groups.get(field.group);
		if (!group) {
			group = { id: field.group, title: groupTitles[field.group] ?? titles.get(field.group) ?? field.nodeTitle, fields: [] };
			groups.set(field.group, group);
		}
		group.fields.push(field);
	}
	return { front, advanced: [...groups.values()] };
}
