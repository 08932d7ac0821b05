// User curation (order, hidden, shown, labels, groups) laid over a form model. Pure: the model and the workflow
// are left untouched; a curation naming fields that no longer exist is simply ignored.
import type { Curation, Field, FormGroup, FormModel } from './types';
import { familyOrder } from './form-active';

const list = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
const record = (v: unknown): Record<string, string> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, string>) : {});

export function applyCuration(model: FormModel, stored: Curation): FormModel {
	// Curation comes back from storage: anything malformed in it is ignored rather than trusted.
	const curation: Curation = {
		order: list(stored?.order),
		hidden: list(stored?.hidden),
		shown: list(stored?.shown),
		labels: record(stored?.labels),
		groups: record(stored?.groups),
		groupTitles: record(stored?.groupTitles)
	};
	const byId = new Map(model.fields.map((f) => [f.id, f]));
	const ordered: Field[] = [];
	for (const id of curation.order ?? []) {
		const f = byId.get(id);
		if (f) {
			ordered.push(f);
			byId.delete(id);
		}
	}
	ordered.push(...byId.values());

	const hidden = new Set(curation.hidden ?? []);
	const shown = new Set(curation.shown ?? []);
	const titles = new Map<string, string>(model.groups.map((g) => [g.id, g.title]));
	for (const [id, title] of Object.entries(curation.groupTitles ?? {})) titles.set(id, title);

	// A dynamic combo's sub-fields and a list's entries follow their owner (and go when it is hidden).
	const fields = familyOrder(ordered.filter((f) => !hidden.has(f.id)))
		.map((f) => {
			const group = curation.groups?.[f.id];
			return {
				...f,
				label: typeof curation.labels?.[f.id] === 'string' && curation.labels[f.id] ? curation.labels[f.id] : f.label,
				advanced: f.advanced && !shown.has(f.id),
				group: group !== undefined && titles.has(group) ? group : f.group
			};
		});
	const groups: FormGroup[] = [];
	for (const f of fields) {
		if (!groups.some((g) => g.id === f.group)) groups.push({ id: f.group, title: titles.get(f.group) ?? f.nodeTitle });
	}
	return { ...model, fields, groups };
}
