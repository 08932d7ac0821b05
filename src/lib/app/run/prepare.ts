// From a stored workflow to something the Run screen can show and send: the API prompt and its form. Pure.
import { m } from '$lib/i18n';
import { buildForm, convertToApi } from '../../workflow';
import type { ApiPrompt, ConvertIssue, FormModel, ObjectInfo, UiWorkflow } from '../../workflow/types';
import type { WorkflowSource } from '../../storage';

export type Prepared =
	| { ok: true; prompt: ApiPrompt; model: FormModel; warnings: string[]; workflow?: UiWorkflow }
	| { ok: false; error: string };

/**
 * Field types come from the server's node definitions (cached on the device, so this works offline). A UI
 * workflow is converted with them (today's widgets, not the ones it was saved with); an API prompt is used as it
 * is. When conversion fails but the file also carried the prompt the server ran (a ComfyUI PNG), that prompt is
 * used and the reason is kept as a warning.
 */
export function prepareRun(source: WorkflowSource, objectInfo: ObjectInfo | null): Prepared {
	const workflow = source.workflow as UiWorkflow | undefined;
	if (!workflow && !source.prompt) return { ok: false, error: m.prepare_nothing_to_run() };
	if (!objectInfo) return { ok: false, error: needsNodeInfo() };
	const warnings: string[] = [];
	let prompt = source.prompt;
	let issues: ConvertIssue[] = [];
	if (workflow) {
		const converted = convertToApi(workflow, objectInfo);
		warnings.push(...converted.issues.map((i) => `${i.nodeTitle}: ${i.message}`));
		if (converted.ok) {
			prompt = converted.prompt;
			issues = converted.issues;
		}
		else if (prompt) warnings.unshift(m.prepare_using_stored_prompt({ error: converted.error }));
		else return { ok: false, error: converted.error };
	}
	if (!prompt) return { ok: false, error: m.prepare_nothing_to_run() };
	const model = buildForm(prompt, objectInfo, { workflow, issues });
	return { ok: true, prompt, model, warnings, workflow };
}

/** Read at call time: `m` is the active language's messages. */
export const needsNodeInfo = (): string => m.prepare_needs_node_info();

/** Defaults of the workflow, overlaid with the values last used on this device for fields that still exist. */
export function initialValues(model: FormModel, lastValues: Record<string, unknown> | undefined): Record<string, unknown> {
	const values: Record<string, unknown> = {};
	for (const field of model.fields) {
		values[field.id] = lastValues && field.id in lastValues ? lastValues[field.id] : field.default;
	}
	return values;
}

/** Node id → the title a person knows it by, for "Running: KSampler". */
export function nodeTitles(prompt: ApiPrompt): Record<string, string> {
	const titles: Record<string, string> = {};
	for (const [id, node] of Object.entries(prompt)) titles[id] = node._meta?.title ?? node.class_type;
	return titles;
}
