// Mismatched saves: a node whose saved values did not fit today's definition (the converter's `schema-changed`,
// or `realigned` when they fit only once moved) gets its concerned fields flagged, so the user checks them before
// anything is sent (RunForm asks for a review at Generate).
import type { ConvertIssue, FormModel } from './types';

const NOTE = {
	'schema-changed': 'This node changed since the workflow was saved: its saved values may not be on the right inputs. Check this value.',
	realigned: 'This node changed since the workflow was saved: its values were moved to today’s inputs and this one is new or was moved. Check this value.'
} as const;

export function flagChangedNodes(model: FormModel, issues: readonly ConvertIssue[]): FormModel {
	const flags = new Map<string, string>();
	for (const issue of issues) {
		if (issue.kind !== 'schema-changed' && issue.kind !== 'realigned') continue;
		const names = new Set(issue.inputNames ?? []);
		for (const f of model.fields) {
			if (f.nodeId !== issue.nodeId || f.kind === 'entries') continue;
			// An issue naming no input concerns the whole node.
			if (names.size === 0 || names.has(f.input)) flags.set(f.id, flags.get(f.id) === NOTE['schema-changed'] ? NOTE['schema-changed'] : NOTE[issue.kind]);
		}
	}
	if (flags.size === 0) return model;
	return { ...model, fields: model.fields.map((f) => (flags.has(f.id) ? { ...f, changed: flags.get(f.id) } : f)) };
}
