// Persisting what the user changes on the Run form: last-used values and the curation, both per workflow.
import { m } from '$lib/i18n';
import { updateWorkflow } from '../../storage';
import type { Curation } from '../../workflow/types';

export type SaveOutcome = { ok: true } | { ok: false; error: string };

async function patch(id: string, change: Parameters<typeof updateWorkflow>[1]): Promise<SaveOutcome> {
	try {
		const saved = await updateWorkflow(id, change);
		return saved ? { ok: true } : { ok: false, error: m.form_workflow_deleted() };
	} catch (err) {
		return { ok: false, error: err instanceof Error ? err.message : String(err) };
	}
}

export function saveLastValues(workflowId: string, values: Record<string, unknown>): Promise<SaveOutcome> {
	return patch(workflowId, { lastValues: plainCopy(values) });
}

export function saveCuration(workflowId: string, curation: Curation): Promise<SaveOutcome> {
	return patch(workflowId, { curation: { ...curation } });
}

/** IndexedDB stores structured clones: values must be plain data (no Svelte proxies, no functions). */
function plainCopy(values: Record<string, unknown>): Record<string, unknown> {
	return JSON.parse(JSON.stringify(values)) as Record<string, unknown>;
}
