// From a stored workflow to something the Run screen can show and send: the API prompt and its form. Pure.
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
	if (!workflow && !source.prompt) return { ok: false, error: 'This workflow has neither a graph nor a prompt to run.' };
	if (!objectInfo) return { ok: false, error: NEEDS_NODE_INFO };
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
		else if (prompt) warnings.unshift(`Using the prompt stored in the file: ${converted.error}`);
		else return { ok: false, error: converted.error };
	}
	if (!prompt) return { ok: false, error: 'This workflow has neither a graph nor a prompt to run.' };
	const model = buildForm(prompt, objectInfo, { workflow, issues });
	return { ok: true, prompt, model, warnings, workflow };
}

export const NEEDS_NODE_INFO =
	'This form needs the server’s node definitions. Connect to the server once; they are then kept on this device, so the form also opens offline.';

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
