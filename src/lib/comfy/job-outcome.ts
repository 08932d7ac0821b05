// The outcome of a finished prompt, read after a gap: from `/api/jobs/{id}` where the server has the job API (its
// status says cancelled or failed outright, and a running or pending job is told apart from an unknown one), else
// from `/history/{id}`. Null while the prompt is unknown, queued or running.
import type { ComfyApi } from './http';
import { errorFromExecutionData, outcomeFromHistory, type FinalOutcome } from './job-history';
import type { JobDetail } from './job-types';

export type OutcomeApi = Pick<ComfyApi, 'getHistory'> & Partial<Pick<ComfyApi, 'jobs'>>;

/** A finished job's detail as a FinalOutcome; null for pending and in-progress jobs. */
export function outcomeFromJob(job: JobDetail): FinalOutcome | null {
	if (job.status === 'pending' || job.status === 'in_progress') return null;
	const status = job.execution_status ?? { status_str: job.status === 'completed' ? 'success' : 'error', completed: job.status === 'completed', messages: [] };
	const outcome = outcomeFromHistory({ prompt: [0, job.id, {}, {}, []], outputs: job.outputs ?? {}, status });
	// The job's own status decides; the messages only add detail (times, cached nodes, the error).
	if (job.status === 'cancelled') return { ...outcome, status: 'interrupted', error: undefined };
	if (job.status === 'failed') {
		return { ...outcome, status: 'failed', error: job.execution_error ? errorFromExecutionData(job.execution_error) : outcome.error };
	}
	return { ...outcome, status: 'succeeded', error: undefined };
}

export async function readOutcome(api: OutcomeApi, promptId: string, signal?: AbortSignal): Promise<FinalOutcome | null> {
	if (api.jobs && (await api.jobs.available())) {
		const job = await api.jobs.get(promptId, signal);
		return job ? outcomeFromJob(job) : null;
	}
	const entry = await api.getHistory(promptId, signal);
	return entry ? outcomeFromHistory(entry) : null;
}
