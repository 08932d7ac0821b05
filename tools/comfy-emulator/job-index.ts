// The job view of the queue and history that ComfyUI 0.33 serves at /api/jobs (comfy_execution/jobs.py): status
// from the history status and its messages (interrupted → cancelled), the preview pick, counts, sorting, paging.
import type { JobDetail, JobStatus, JobSummary, JobPreview } from '../../src/lib/comfy/job-types';
import type { HistoryEntry, NodeOutput, QueueItem } from '../../src/lib/comfy/types';

const PREVIEWABLE = new Set(['images', 'video', 'audio', '3d', 'text']);
const THREE_D = ['.obj', '.fbx', '.gltf', '.glb', '.usdz'];
const TEXT_FILES = ['.txt', '.md', '.json'];
const TEXT_PREVIEW_MAX = 1024;

type Item = Record<string, unknown>;

/** Drops undefined/null fields, as the server's prune_dict does. */
function pruned<T extends object>(value: T): T {
	return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined && v !== null)) as T;
}

function endsWithAny(name: unknown, extensions: string[]): boolean {
	return typeof name === 'string' && extensions.some((e) => name.toLowerCase().endsWith(e));
}

/** A 3D file named by a bare string becomes a file item; other non-objects are not output files. */
function fileItem(item: unknown): Item | null {
	if (typeof item === 'string') return endsWithAny(item, THREE_D) ? { filename: item, type: 'output', subfolder: '', mediaType: '3d' } : null;
	return item && typeof item === 'object' && !Array.isArray(item) ? (item as Item) : null;
}

function previewable(mediaType: string, item: Item): boolean {
	if (PREVIEWABLE.has(mediaType)) return true;
	const format = typeof item.format === 'string' ? item.format : '';
	if (format.startsWith('video/') || format.startsWith('audio/')) return true;
	return endsWithAny(item.filename, THREE_D) || endsWithAny(item.filename, TEXT_FILES);
}

function lists(outputs: Record<string, NodeOutput>): [string, string, unknown[]][] {
	const out: [string, string, unknown[]][] = [];
	for (const [nodeId, node] of Object.entries(outputs)) {
		if (!node || typeof node !== 'object') continue;
		for (const [mediaType, items] of Object.entries(node)) {
			if (mediaType !== 'animated' && Array.isArray(items)) out.push([nodeId, mediaType, items]);
		}
	}
	return out;
}

/** outputs_count, previewable_outputs_count and preview_output: saved visual media first, then other visual
 *  media, then saved text files, then raw text (which is not counted as an output). */
export function outputsSummary(outputs: Record<string, NodeOutput>): { count: number; previewable: number; preview?: JobPreview } {
	let count = 0;
	let previewableCount = 0;
	const slots: Partial<Record<'saved' | 'other' | 'textFile' | 'text', JobPreview>> = {};
	for (const [nodeId, mediaType, items] of lists(outputs)) {
		for (const raw of items) {
			const item = fileItem(raw);
			if (!item) {
				if (mediaType === 'text' && raw !== null && raw !== undefined && !slots.text) {
					const value = Array.isArray(raw) ? String(raw[0] ?? '') : String(raw);
					const content = value.length > TEXT_PREVIEW_MAX ? { content: value.slice(0, TEXT_PREVIEW_MAX), truncated: true } : { content: value };
					slots.text = { ...content, nodeId, mediaType };
				}
				continue;
			}
			count++;
			if (!previewable(mediaType, item)) continue;
			previewableCount++;
			const enriched = { ...item, nodeId, mediaType: typeof item.mediaType === 'string' ? item.mediaType : mediaType } as JobPreview;
			const isText = mediaType === 'text' || endsWithAny(item.filename, TEXT_FILES);
			const slot = isText ? 'textFile' : item.type === 'output' ? 'saved' : 'other';
			slots[slot] ??= enriched;
		}
	}
	return { count, previewable: previewableCount, preview: slots.saved ?? slots.other ?? slots.textFile ?? slots.text };
}

function metadata(item: QueueItem): { create_time?: number; workflow_id?: string } {
	const extra = item[3];
	const workflow = (extra.extra_pnginfo as { workflow?: { id?: unknown } } | undefined)?.workflow;
	return {
		create_time: typeof extra.create_time === 'number' ? extra.create_time : undefined,
		workflow_id: typeof workflow?.id === 'string' ? workflow.id : undefined
	};
}

/** A queued or running job. 0.33.0 gives no `workflow` for these even in the detail (captures-2026
 *  jobs_detail_running/pending); later servers add it. */
export function queuedJob(item: QueueItem, status: 'pending' | 'in_progress'): JobDetail {
	return pruned({ id: item[1], status, priority: item[0], ...metadata(item), outputs_count: 0, previewable_outputs_count: 0 });
}

export function historyJob(id: string, entry: HistoryEntry, detail = false): JobDetail {
	let start: number | undefined;
	let end: number | undefined;
	let error: Record<string, unknown> | undefined;
	let interrupted = false;
	for (const [type, data] of entry.status?.messages ?? []) {
		if (type === 'execution_start') start = data.timestamp as number;
		if (type === 'execution_success' || type === 'execution_error' || type === 'execution_interrupted') end = data.timestamp as number;
		if (type === 'execution_error') error = data;
		if (type === 'execution_interrupted') interrupted = true;
	}
	const status: JobStatus = entry.status?.status_str === 'error' ? (interrupted ? 'cancelled' : 'failed') : 'completed';
	const summary = outputsSummary(entry.outputs);
	const { create_time, workflow_id } = metadata(entry.prompt);
	const job: JobDetail = pruned({
		id,
		status,
		priority: entry.prompt[0],
		create_time,
		execution_start_time: start,
		execution_end_time: end,
		execution_error: error,
		outputs_count: summary.count,
		previewable_outputs_count: summary.previewable,
		preview_output: summary.preview,
		workflow_id
	});
	if (detail) {
		job.outputs = structuredClone(entry.outputs);
		job.execution_status = entry.status;
		job.workflow = { prompt: entry.prompt[2], extra_data: entry.prompt[3] };
	}
	return job;
}

export interface ListOptions {
	statuses: JobStatus[] | null;
	workflowId: string | null;
	sortBy: 'created_at' | 'execution_duration';
	sortOrder: 'asc' | 'desc';
	limit: number | null;
	offset: number;
}

/** Running, then pending, then history, filtered, sorted (stable) and sliced; the total is before slicing. */
export function listJobs(running: QueueItem[], pending: QueueItem[], history: [string, HistoryEntry][], o: ListOptions): { jobs: JobSummary[]; total: number } {
	const wanted = (s: JobStatus) => o.statuses === null || o.statuses.includes(s);
	let jobs: JobSummary[] = [];
	if (wanted('in_progress')) jobs.push(...running.map((i) => queuedJob(i, 'in_progress')));
	if (wanted('pending')) jobs.push(...pending.map((i) => queuedJob(i, 'pending')));
	if (wanted('completed') || wanted('failed') || wanted('cancelled')) {
		jobs.push(...history.map(([id, e]) => historyJob(id, e)).filter((j) => wanted(j.status)));
	}
	if (o.workflowId) jobs = jobs.filter((j) => j.workflow_id === o.workflowId);
	const key = (j: JobSummary) =>
		o.sortBy === 'execution_duration'
			? j.execution_start_time && j.execution_end_time ? j.execution_end_time - j.execution_start_time : 0
			: (j.create_time ?? 0);
	jobs.sort((a, b) => (o.sortOrder === 'desc' ? key(b) - key(a) : key(a) - key(b)));
	const total = jobs.length;
	const from = o.offset > 0 ? jobs.slice(o.offset) : jobs;
	return { jobs: o.limit === null ? from : from.slice(0, o.limit), total };
}
