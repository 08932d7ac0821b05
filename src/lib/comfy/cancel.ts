// Stopping prompts on any server generation: where the server has the job API, each prompt is cancelled by id
// (POST /api/jobs/{id}/cancel: dequeued if pending, interrupted if running, atomically on the server); on 0.3.x,
// pending prompts are deleted from the queue first and then the running one is interrupted by prompt_id (in that
// order, so the server cannot start the next pending prompt in between). Never a global interrupt.
import { toComfyError, type ComfyError } from './errors';
import type { ComfyApi } from './http';

export type CancelRoute = 'job-api' | 'queue-and-interrupt';

export interface CancelOutcome {
	route: CancelRoute;
	/** One per request that failed; the others were still sent. */
	failures: ComfyError[];
}

export async function cancelPrompts(
	api: Pick<ComfyApi, 'interrupt' | 'deleteQueued' | 'jobs'>,
	runningId: string | null,
	pendingIds: string[]
): Promise<CancelOutcome> {
	const failures: ComfyError[] = [];
	const attempt = async (request: () => Promise<unknown>) => {
		try {
			await request();
		} catch (err) {
			failures.push(toComfyError(err));
		}
	};
	let modern = false;
	await attempt(async () => (modern = await api.jobs.available()));
	if (failures.length > 0) return { route: 'queue-and-interrupt', failures };
	if (modern) {
		for (const id of pendingIds) await attempt(() => api.jobs.cancel(id));
		if (runningId) await attempt(() => api.jobs.cancel(runningId));
		return { route: 'job-api', failures };
	}
	if (pendingIds.length > 0) await attempt(() => api.deleteQueued(pendingIds));
	if (runningId) await attempt(() => api.interrupt(runningId));
	return { route: 'queue-and-interrupt', failures };
}
