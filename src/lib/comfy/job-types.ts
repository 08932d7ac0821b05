// The shapes of the job API of newer ComfyUI servers (`/api/jobs`, comfy_execution/jobs.py): a job is a queue or
// history entry seen through one status. 0.3.x servers do not have it (see jobs-api.ts for detection).
import type { ApiPrompt, ExtraData, HistoryMessage, NodeOutput } from './types';

export const JOB_STATUSES = ['pending', 'in_progress', 'completed', 'failed', 'cancelled'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

/** The item a job shows as its thumbnail: an output file plus nodeId and mediaType, or a text preview. */
export interface JobPreview {
	nodeId: string;
	mediaType: string;
	filename?: string;
	subfolder?: string;
	type?: string;
	content?: string;
	truncated?: boolean;
	[key: string]: unknown;
}

/** One entry of GET /api/jobs. Fields with no value are left out by the server. */
export interface JobSummary {
	id: string;
	status: JobStatus;
	/** The queue number. */
	priority: number;
	create_time?: number;
	execution_start_time?: number;
	execution_end_time?: number;
	/** The execution_error message's data, for a failed job. */
	execution_error?: Record<string, unknown>;
	outputs_count: number;
	previewable_outputs_count: number;
	preview_output?: JobPreview;
	/** `extra_data.extra_pnginfo.workflow.id` of the submitted prompt. */
	workflow_id?: string;
}

/** GET /api/jobs/{id}: the summary plus outputs, the history status and what was submitted. */
export interface JobDetail extends JobSummary {
	outputs?: Record<string, NodeOutput>;
	execution_status?: { status_str: string; completed: boolean; messages: HistoryMessage[] };
	workflow?: { prompt: ApiPrompt; extra_data: ExtraData };
}

export interface JobPage {
	jobs: JobSummary[];
	pagination: { offset: number; limit: number | null; total: number; has_more: boolean };
}

export interface JobListQuery {
	status?: JobStatus[];
	workflowId?: string;
	sortBy?: 'created_at' | 'execution_duration';
	sortOrder?: 'asc' | 'desc';
	limit?: number;
	offset?: number;
}

/** Canonical lowercase hyphenated UUID: the only client prompt_id / job id newer servers accept. */
export const CANONICAL_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
