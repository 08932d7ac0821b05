// One job of the Run screen as components see it, and the shapes the run controller takes and returns.
import { m } from '$lib/i18n';
import type { JobState } from '../../comfy/jobs';
import type { ComfyError } from '../../comfy/errors';
import type { ApiPrompt, ExtraData } from '../../comfy/types';

export type RunStatus = 'submitting' | 'queued' | 'running' | 'saving' | 'done' | 'failed' | 'stopped' | 'cancelled';

export interface RunJob {
	promptId: string;
	workflowId: string;
	label: string;
	status: RunStatus;
	progress: number;
	node: string | null;
	step: { value: number; max: number } | null;
	queuePosition: number | null;
	submittedAt: number;
	startedAt: number | null;
	endedAt: number | null;
	error: string | null;
	resultId: string | null;
	/** Set once Stop or cancel was asked, so a job that slips from pending to running is interrupted too. */
	cancelRequested: boolean;
}

export interface LivePreview {
	promptId: string;
	image: Uint8Array;
	mime: string;
	at: number;
}

export interface RunRequest {
	workflowId: string;
	serverId: string;
	runs: { prompt: ApiPrompt; values: Record<string, unknown>; extraData?: ExtraData }[];
	nodeTitles?: Record<string, string>;
}

export type SubmitOutcome =
	| { ok: true; promptIds: string[] }
	/** `stoppedAt`: the run the batch stopped at (its index and the prompt_id it was sent with). */
	| { ok: false; promptIds: string[]; error: ComfyError; stoppedAt?: { index: number; promptId: string } };

export function newJob(promptId: string, workflowId: string, label: string, submittedAt: number): RunJob {
	return {
		promptId,
		workflowId,
		label,
		status: 'submitting',
		progress: 0,
		node: null,
		step: null,
		queuePosition: null,
		submittedAt,
		startedAt: null,
		endedAt: null,
		error: null,
		resultId: null,
		cancelRequested: false
	};
}

export function describeFailure(state: JobState): string {
	const error = state.error;
	if (!error) return m.job_failed_unknown();
	if (!error.nodeType) return error.message;
	return m.job_failed_in_node({ message: error.message, node: `${error.nodeType}${error.nodeId ? ` #${error.nodeId}` : ''}` });
}
