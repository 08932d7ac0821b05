// Whether the server already has a prompt_id: the check before sending a prompt again after an attempt whose
// answer never came. ComfyUI does not refuse a re-used id; it runs it a second time (captures-2026, S4).
import type { ComfyApi } from './http';

export type PromptLookup = Pick<ComfyApi, 'getQueue' | 'getHistory'> & { jobs?: Pick<ComfyApi['jobs'], 'available' | 'get'> };

/**
 * True when the prompt is queued, running or finished on the server, false when it is none of these, null when
 * the server did not answer (then nobody can tell). Where the server has the job API, `/api/jobs/{id}` answers
 * for all three at once. Else the queue is read before the history, not at the same time: a prompt that finishes
 * between the two reads is then seen in one or the other, never missed by both.
 */
export async function promptExists(api: PromptLookup, promptId: string): Promise<boolean | null> {
	const modern = api.jobs ? await api.jobs.available().catch(() => null) : false;
	if (modern === null) return null;
	if (modern && api.jobs) {
		const job = await api.jobs.get(promptId).catch(() => undefined);
		return job === undefined ? null : job !== null;
	}
	const queue = await api.getQueue().catch(() => null);
	if (queue && [...queue.queue_running, ...queue.queue_pending].some((item) => item[1] === promptId)) return true;
	const entry = await api.getHistory(promptId).catch(() => undefined);
	if (entry) return true;
	return queue && entry === null ? false : null;
}
