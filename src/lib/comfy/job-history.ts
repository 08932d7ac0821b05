// Reads the outcome of a finished prompt from its `/history/{id}` entry: the source of truth after any gap.
// Pure functions, shared by the JobTracker's reconcile path.
import type { HistoryEntry, HistoryMessage, NodeOutput, QueueState } from './types';

export type FinalStatus = 'succeeded' | 'failed' | 'interrupted';

export function isFinished(status: string): status is FinalStatus {
	return status === 'succeeded' || status === 'failed' || status === 'interrupted';
}

export interface JobError {
	message: string;
	nodeId?: string;
	nodeType?: string;
	exceptionType?: string;
	traceback?: string[];
}

export interface FinalOutcome {
	status: FinalStatus;
	outputs: Record<string, NodeOutput>;
	cachedNodes: string[];
	error?: JobError;
	startedAt?: number;
	endedAt?: number;
}

function findMessage(messages: HistoryMessage[], type: string): Record<string, unknown> | undefined {
	return messages.find((m) => Array.isArray(m) && m[0] === type)?.[1];
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** Builds the job error from `execution_error` data (WebSocket message or history entry: same shape). */
export function errorFromExecutionData(data: Record<string, unknown>): JobError {
	const traceback = Array.isArray(data.traceback) ? data.traceback.filter((l): l is string => typeof l === 'string') : [];
	return {
		message: (str(data.exception_message) ?? 'The node failed').trim(),
		nodeId: str(data.node_id),
		nodeType: str(data.node_type),
		exceptionType: str(data.exception_type),
		traceback
	};
}

export function outcomeFromHistory(entry: HistoryEntry): FinalOutcome {
	const messages = entry.status.messages ?? [];
	const cached = findMessage(messages, 'execution_cached')?.nodes;
	const startedAt = num(findMessage(messages, 'execution_start')?.timestamp);
	const last = messages.at(-1);
	const endedAt = num(last?.[1]?.timestamp);
	const base = {
		outputs: entry.outputs ?? {},
		cachedNodes: Array.isArray(cached) ? cached.filter((n): n is string => typeof n === 'string') : [],
		startedAt,
		endedAt
	};
	if (entry.status.status_str === 'success' || (entry.status.completed && !findMessage(messages, 'execution_error'))) {
		return { status: 'succeeded', ...base };
	}
	const interrupted = findMessage(messages, 'execution_interrupted');
	if (interrupted) return { status: 'interrupted', ...base };
	const failure = findMessage(messages, 'execution_error');
	const error = failure ? errorFromExecutionData(failure) : { message: 'The server reports that the job failed.' };
	return { status: 'failed', ...base, error };
}

export type QueuePlace = { where: 'running' } | { where: 'pending'; position: number } | { where: 'absent' };

/** Where a prompt is in `/queue`; pending positions are 1-based in execution order (number, then prompt id). */
export function queuePlace(queue: QueueState, promptId: string): QueuePlace {
	if (queue.queue_running.some((item) => item[1] === promptId)) return { where: 'running' };
	const pending = [...queue.queue_pending].sort((a, b) => a[0] - b[0] || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
	const index = pending.findIndex((item) => item[1] === promptId);
	return index < 0 ? { where: 'absent' } : { where: 'pending', position: index + 1 };
}
