// Making a result that was made elsewhere usable here: its prompt and UI workflow become a workflow of this device
// (or the one of the same name already here), so "reuse these settings" opens the Run form with its values, and a
// Server history entry can be imported as a new workflow.
import { m } from '$lib/i18n';
import type { ApiPrompt } from '../../comfy/types';
import { addResult, getWorkflow, listWorkflows, saveWorkflow, updateWorkflow, type ResultRecord, type WorkflowRecord } from '../../storage';
import { importFailureText } from '../import-text';

export type AdoptOutcome = { ok: true; workflow: WorkflowRecord } | { ok: false; error: string };

/**
 * Imports a prompt (with the UI workflow it carried, if any) as a new workflow named `name`. The body has the
 * shape of a POST /prompt, which the importer reads with its workflow.
 */
export async function importPromptAsWorkflow(name: string, prompt: ApiPrompt, workflow: unknown, serverId?: string): Promise<AdoptOutcome> {
	try {
		const { importWorkflowFile } = await import('../../workflow/import');
		const body = { prompt, ...(workflow ? { extra_data: { extra_pnginfo: { workflow } } } : {}) };
		const imported = await importWorkflowFile(new TextEncoder().encode(JSON.stringify(body)), `${name}.json`);
		if (!imported.ok) return { ok: false, error: importFailureText(imported) };
		const saved = await saveWorkflow({ name, source: { workflow: imported.workflow, prompt: imported.prompt, fileName: `${name}.json` }, ...(serverId ? { serverId } : {}) });
		return { ok: true, workflow: saved };
	} catch (err) {
		return { ok: false, error: err instanceof Error ? err.message : String(err) };
	}
}

/**
 * "Reuse these settings" for a result made elsewhere: the workflow of the same name on this device, else its
 * prompt imported as a new one; the result then belongs to that workflow, and the values become its last values.
 */
export async function adoptSharedResult(result: ResultRecord): Promise<AdoptOutcome> {
	const name = result.shared?.title ?? m.shared_result_name();
	try {
		const existing = (await getWorkflow(result.workflowId)) ?? (await listWorkflows()).find((w) => w.name === name);
		let workflow = existing;
		if (!workflow) {
			if (Object.keys(result.params.prompt).length === 0) return { ok: false, error: m.shared_no_prompt() };
			const imported = await importPromptAsWorkflow(name, result.params.prompt, result.shared?.workflow, result.serverId);
			if (!imported.ok) return imported;
			workflow = imported.workflow;
		}
		await updateWorkflow(workflow.id, { lastValues: { ...workflow.lastValues, ...structuredClone(result.params.values) } });
		if (result.workflowId !== workflow.id) await addResult({ ...result, workflowId: workflow.id });
		return { ok: true, workflow };
	} catch (err) {
		return { ok: false, error: err instanceof Error ? err.message : String(err) };
	}
}
