// Generate: from the form to queued jobs, with every way it can fail told to the form in words.
import { m } from '$lib/i18n';
import { exportUiWorkflow } from '../../workflow';
import type { ConnectionStatus } from '../../comfy/transport';
import type { ExtraData, ObjectInfo } from '../../comfy/types';
import type { RunForm } from './form.svelte';
import type { RunJobs } from './jobs.svelte';
import type { DeferredUploads } from '../outbox/deferred-uploads';
import type { Outbox } from '../outbox/outbox.svelte';

export interface GenerateEnv {
	serverId: string | null;
	/** The server's name, for "waiting for <name>". */
	serverName?: string;
	status: ConnectionStatus;
	online: boolean;
	/** Settings → previews. Off asks the server not to make them (servers newer than 0.3.64 honour it). */
	previews?: boolean;
	/** The server's node definitions: needed to write values back into group nodes and subgraphs. */
	objectInfo?: ObjectInfo | null;
	/** Where runs go while the server does not answer; without it Generate refuses then, as before the outbox. */
	outbox?: Pick<Outbox, 'add'>;
	/** Pictures picked while the server was away (uploaded by the outbox when it sends). */
	deferred?: DeferredUploads;
}

/** Read at call time: `m` is the active language's messages. */
export const needsServer = (): string => m.generate_needs_server();

/** Why Generate cannot send right now, or null when it can. */
export function generateBlocker(env: GenerateEnv, attached: boolean): string | null {
	if (!env.serverId) return m.generate_add_server();
	if (!env.online) return m.generate_offline({ needs: needsServer() });
	if (!attached || env.status !== 'live') return m.generate_not_connected({ status: env.status, needs: needsServer() });
	return null;
}

/** The line under Generate: why it cannot run, or where a run goes while the server is away. */
export function generateNote(env: GenerateEnv, attached: boolean): string | null {
	const blocker = generateBlocker(env, attached);
	if (!blocker || !env.serverId || !env.outbox) return blocker;
	if (!env.online) return m.generate_outbox_offline();
	return m.generate_outbox_server_silent({ server: env.serverName ?? m.generate_the_server() });
}

export async function generate(form: RunForm, jobs: RunJobs, env: GenerateEnv, count: number): Promise<string[]> {
	const blocker = generateBlocker(env, jobs.attached);
	const serverId = env.serverId;
	if (!serverId || (blocker && !env.outbox)) {
		form.showError(blocker ?? needsServer());
		return [];
	}
	const planned = form.plan(count);
	if (!planned) return [];
	const workflow = form.workflow;
	const runs = planned.map((run) => ({
		...run,
		extraData: extraData(workflow, run.prompt, env.previews ?? true, env.objectInfo ?? undefined, form.name),
		uploads: env.deferred?.usedBy(run.prompt) ?? []
	}));
	// Offline, the server away, or pictures still on the phone: the outbox sends them (at once when it can).
	if (env.outbox && (blocker || runs.some((run) => run.uploads.length > 0))) {
		const ids = await env.outbox.add({ serverId, workflowId: form.workflowId, runs });
		if (ids.length === 0) form.showError(m.generate_outbox_failed());
		return ids;
	}
	const outcome = await jobs.submit({ workflowId: form.workflowId, serverId, runs });
	if (outcome.ok) return outcome.promptIds;
	const stoppedAt = outcome.stoppedAt;
	const unanswered = outcome.error.kind === 'network' || outcome.error.kind === 'timeout';
	if (env.outbox && unanswered && stoppedAt) {
		// The server stopped answering mid-batch: the rest waits in the outbox; the run that got no answer keeps its
		// prompt_id and is asked about before it is sent again.
		const rest = runs.slice(stoppedAt.index).map((run, i) => (i === 0 ? { ...run, uncertainId: stoppedAt.promptId } : run));
		return [...outcome.promptIds, ...(await env.outbox.add({ serverId, workflowId: form.workflowId, runs: rest }))];
	}
	if (outcome.error.kind === 'rejected') form.showRejection(outcome.error);
	else form.showError(m.generate_queue_failed({ message: outcome.error.message }));
	if (outcome.promptIds.length > 0) form.generalErrors = [...form.generalErrors, m.generate_queued_before_error({ count: outcome.promptIds.length })];
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
