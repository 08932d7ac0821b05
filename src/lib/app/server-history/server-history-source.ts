// The server's own results, newest first, one page at a time, whoever made them (this phone, another phone, the
// ComfyUI desktop UI): from the job API where the server has it (GET /api/jobs, sorted and paged by the server),
// else from GET /history, which only knows "the newest N", so page k asks for the newest (k+1)·size and keeps the
// last page of them. The prompt and UI workflow come with each /history entry; the job API gives them per job
// (GET /api/jobs/{id}), asked when the entry is opened. Knows nothing of the UI.
import type { ComfyApi } from '../../comfy/http';
import type { ApiPrompt, ExtraData, History, HistoryEntry, NodeOutput, OutputFile } from '../../comfy/types';
import type { JobSummary } from '../../comfy/job-types';
import { collectOutputs, type OutputRef } from '../run/outputs';

export type ServerResultStatus = 'done' | 'failed' | 'stopped';

export interface ServerResult {
	promptId: string;
	status: ServerResultStatus;
	/** ms epoch, when the server says. */
	endedAt: number | null;
	/** The files, when known (from /history, or once the job's detail was read). */
	files: OutputRef[] | null;
	/** The picture shown in the list: the first image, or the job API's preview output. */
	cover: OutputRef | null;
	prompt: ApiPrompt | null;
	workflow: unknown;
	title: string | null;
	outputs: Record<string, NodeOutput> | null;
}

export interface ServerHistoryPage {
	items: ServerResult[];
	hasMore: boolean;
	source: 'jobs' | 'history';
}

export type HistoryApi = Pick<ComfyApi, 'getRecentHistory' | 'getHistory' | 'jobs'>;

function extraOf(extra: ExtraData | undefined): { title: string | null; workflow: unknown } {
	const e = (extra ?? {}) as Record<string, unknown>;
	const info = e.extra_pnginfo as Record<string, unknown> | undefined;
	const title = typeof e.comfy_pocket_title === 'string' && e.comfy_pocket_title.trim() ? e.comfy_pocket_title.trim().slice(0, 80) : null;
	return { title, workflow: info && typeof info === 'object' ? (info.workflow ?? null) : null };
}

function messageTime(entry: HistoryEntry): number | null {
	for (const [type, data] of entry.status?.messages ?? []) {
		if ((type === 'execution_success' || type === 'execution_error' || type === 'execution_interrupted') && typeof data.timestamp === 'number') return data.timestamp;
	}
	return null;
}

function statusOf(entry: HistoryEntry): ServerResultStatus {
	const types = (entry.status?.messages ?? []).map(([type]) => type);
	if (types.includes('execution_interrupted')) return 'stopped';
	return entry.status?.status_str === 'success' ? 'done' : 'failed';
}

export function fromHistoryEntry(promptId: string, entry: HistoryEntry): ServerResult {
	const files = collectOutputs(entry.outputs ?? {});
	const { title, workflow } = extraOf(entry.prompt?.[3]);
	return {
		promptId,
		status: statusOf(entry),
		endedAt: messageTime(entry),
		files,
		cover: files.find((f) => f.kind === 'image') ?? files[0] ?? null,
		prompt: entry.prompt?.[2] ?? null,
		workflow,
		title,
		outputs: entry.outputs ?? {}
	};
}

/** Page `page` (0 = newest) of `size` from a /history answer holding the newest (page+1)·size entries. */
export function historyPage(history: History, page: number, size: number): ServerHistoryPage {
	const newestFirst = Object.entries(history).reverse();
	const items = newestFirst.slice(page * size, (page + 1) * size).map(([id, entry]) => fromHistoryEntry(id, entry));
	return { items, hasMore: newestFirst.length >= (page + 1) * size, source: 'history' };
}

function coverOf(job: JobSummary): OutputRef | null {
	const p = job.preview_output;
	if (!p?.filename) return null;
	const file: OutputFile = { filename: p.filename, subfolder: p.subfolder ?? '', type: (p.type as OutputFile['type']) ?? 'output' };
	const [ref] = collectOutputs({ [p.nodeId]: { [p.mediaType === 'audio' ? 'audio' : p.mediaType === 'video' ? 'video' : 'images']: [file] } });
	return ref ?? null;
}

function fromJob(job: JobSummary): ServerResult {
	return {
		promptId: job.id,
		status: job.status === 'completed' ? 'done' : job.status === 'cancelled' ? 'stopped' : 'failed',
		endedAt: job.execution_end_time ?? job.create_time ?? null,
		files: null,
		cover: coverOf(job),
		prompt: null,
		workflow: null,
		title: null,
		outputs: null
	};
}

export async function loadServerHistory(api: HistoryApi, page: number, size: number): Promise<ServerHistoryPage> {
	if (await api.jobs.available().catch(() => false)) {
		const res = await api.jobs.list({ status: ['completed', 'failed', 'cancelled'], sortBy: 'created_at', sortOrder: 'desc', limit: size, offset: page * size });
		return { items: res.jobs.map(fromJob), hasMore: res.pagination.has_more, source: 'jobs' };
	}
	return historyPage(await api.getRecentHistory((page + 1) * size), page, size);
}

/** Fills in files, outputs, prompt and workflow of an entry listed by the job API (its detail, or /history). */
export async function detailOf(api: HistoryApi, item: ServerResult): Promise<ServerResult> {
	if (item.files !== null && item.prompt !== null) return item;
	const detail = await api.jobs.get(item.promptId).catch(() => null);
	if (detail?.outputs) {
		const files = collectOutputs(detail.outputs);
		const { title, workflow } = extraOf(detail.workflow?.extra_data);
		return { ...item, files, cover: item.cover ?? files[0] ?? null, outputs: detail.outputs, prompt: detail.workflow?.prompt ?? null, workflow, title };
	}
	const entry = await api.getHistory(item.promptId);
	return entry ? { ...fromHistoryEntry(item.promptId, entry), endedAt: item.endedAt ?? messageTime(entry) } : item;
}
