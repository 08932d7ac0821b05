// Generate: from the form to queued jobs, with every way it can fail told to the form in words.
import { exportUiWorkflow } from '../workflow';
import type { ConnectionStatus } from '../comfy/transport';
import type { ExtraData, ObjectInfo } from '../comfy/types';
import type { RunForm } from './run-form.svelte';
import type { RunJobs } from './run-jobs.svelte';

export interface GenerateEnv {
	serverId: string | null;
	status: ConnectionStatus;
	online: boolean;
	/** Settings → previews. Off asks the server not to make them (servers newer than 0.3.64 honour it). */
	previews?: boolean;
	/** The server's node definitions: needed to write values back into group nodes and subgraphs. */
	objectInfo?: ObjectInfo | null;
}

export const NEEDS_SERVER = 'Generating needs the server. The form and your results stay available offline.';

/** Why Generate cannot run right now, or null when it can. */
export function generateBlocker(env: GenerateEnv, attached: boolean): string | null {
	if (!env.serverId) return 'Add a ComfyUI server in Settings to generate.';
	if (!env.online) return `You are offline. ${NEEDS_SERVER}`;
	if (!attached || env.status !== 'live') return `The server is not connected (${env.status}). ${NEEDS_SERVER}`;
	return null;
}

export async function generate(form: RunForm, jobs: RunJobs, env: GenerateEnv, count: number): Promise<string[]> {
	const blocker = generateBlocker(env, jobs.attached);
	if (blocker || !env.serverId) {
		form.showError(blocker ?? NEEDS_SERVER);
		return [];
	}
	const runs = form.plan(count);
	if (!runs) return [];
	const workflow = form.workflow;
	const outcome = await jobs.submit({
		workflowId: form.workflowId,
		serverId: env.serverId,
		runs: runs.map((run) => ({ ...run, extraData: extraData(workflow, run.prompt, env.previews ?? true, env.objectInfo ?? undefined, form.name) }))
	});
	if (!outcome.ok) {
		if (outcome.error.kind === 'rejected') form.showRejection(outcome.error);
		else form.showError(`Could not queue: ${outcome.error.message}`);
		if (outcome.promptIds.length > 0) form.generalErrors = [...form.generalErrors, `${outcome.promptIds.length} run(s) were queued before the error.`];
	}
	return outcome.promptIds;
}

/**
 * Results carry the UI workflow (with this run's values) so they reopen in desktop ComfyUI, as its own do.
 * With previews off, the per-prompt `preview_method: none` spares the bandwidth (the relay especially).
 * The workflow's name titles the relay's push notification when the run ends (ComfyUI ignores the key).
 */
function extraData(
	workflow: RunForm['workflow'],
	prompt: Parameters<typeof exportUiWorkflow>[1],
	previews: boolean,
	objectInfo: ObjectInfo | undefined,
	name: string
): ExtraData | undefined {
	const extra: ExtraData = {};
	if (workflow) extra.extra_pnginfo = { workflow: exportUiWorkflow(workflow, prompt, objectInfo) };
	if (!previews) extra.preview_method = 'none';
	if (name.trim()) extra.comfy_pocket_title = name.trim();
	return Object.keys(extra).length > 0 ? extra : undefined;
}
