// The pool's ComfyApi: the app calls one server's API, the pool sends each call where it belongs. By prompt id to
// the rig that holds the prompt (history, job detail, cancel, interrupt, queue delete); outputs to the rig that
// made them; reads that list things merged from every rig that answers; POST /prompt through the routing. A call
// never goes to every rig when it concerns one prompt, and there is no global interrupt.
import type { ComfyApi, QueuePromptInput, UploadOptions, ViewOptions } from '$lib/comfy/http';
import { ComfyError } from '$lib/comfy/errors';
import type { JobListQuery, JobPage } from '$lib/comfy/job-types';
import type { HistoryEntry, NodeOutput, OutputFile, QueuePromptResponse, QueueState, UploadResult } from '$lib/comfy/types';
import { mergeHistories, mergeJobPages, mergeObjectInfo, mergeQueues } from './merge';
import type { Rig } from './rig';

/** What the API needs of the pool (PoolTransport implements it). */
export interface PoolCore {
	/** Rigs that answer now, in pool order; all rigs when none does (their errors then say why). */
	reachable(): Rig[];
	holderOf(promptId: string): Rig | null;
	/** Learnt from a queue, a history entry or outputs: where a prompt and its files are. */
	noteHolder(promptId: string, rig: Rig, outputs?: Record<string, NodeOutput>): void;
	rigOfFile(file: OutputFile): Rig | null;
	submit(input: QueuePromptInput): Promise<QueuePromptResponse>;
	upload(blob: Blob, filename: string, opts?: UploadOptions): Promise<UploadResult>;
}

export function poolApi(core: PoolCore): ComfyApi {
	const first = (): Rig => core.reachable()[0];
	const byHolder = (promptId: string): Rig[] => {
		const holder = core.holderOf(promptId);
		return holder ? [holder] : core.reachable();
	};
	/** Every rig's answer; the failures are skipped unless every rig failed. */
	async function fromAll<T>(rigs: Rig[], call: (rig: Rig) => Promise<T>): Promise<{ rig: Rig; value: T }[]> {
		const settled = await Promise.allSettled(rigs.map(async (rig) => ({ rig, value: await call(rig) })));
		const ok = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
		if (ok.length === 0 && settled.length > 0) throw (settled[0] as PromiseRejectedResult).reason;
		return ok;
	}
	/** The first rig's non-null answer about a prompt whose rig is not known (after a reload), learning it. */
	async function findOnRigs<T>(promptId: string, call: (rig: Rig) => Promise<T | null>, outputs?: (v: T) => Record<string, NodeOutput> | undefined): Promise<T | null> {
		for (const { rig, value } of await fromAll(byHolder(promptId), call)) {
			if (value === null) continue;
			core.noteHolder(promptId, rig, outputs?.(value));
			return value;
		}
		return null;
	}
	const historyOutputs = (entry: HistoryEntry) => entry.outputs;

	const jobs = {
		async available(): Promise<boolean> {
			const rigs = core.reachable();
			const answers = await Promise.all(rigs.map((rig) => rig.transport.api.jobs.available().catch(() => false)));
			return answers.length > 0 && answers.every(Boolean);
		},
		get: (id: string, signal?: AbortSignal) => findOnRigs(id, (rig) => rig.transport.api.jobs.get(id, signal), (job) => job.outputs),
		async cancel(id: string): Promise<boolean> {
			const answers = await fromAll(byHolder(id), (rig) => rig.transport.api.jobs.cancel(id));
			return answers.some((a) => a.value);
		},
		async cancelMany(ids: string[]): Promise<boolean> {
			const answers = await Promise.all(ids.map((id) => jobs.cancel(id).catch(() => false)));
			return answers.every(Boolean);
		},
		async list(query: JobListQuery = {}, signal?: AbortSignal): Promise<JobPage> {
			const offset = query.offset ?? 0;
			const limit = query.limit ?? null;
			// Each rig's newest offset+limit jobs hold the pool's newest offset+limit.
			const wide = { ...query, offset: 0, limit: limit === null ? undefined : offset + limit };
			const pages = await fromAll(core.reachable(), (rig) => rig.transport.api.jobs.list(wide, signal));
			for (const { rig, value } of pages) for (const job of value.jobs) core.noteHolder(job.id, rig);
			const merged = mergeJobPages(
				pages.map((p) => p.value),
				limit === null ? null : offset + limit
			);
			return { jobs: merged.jobs.slice(offset), pagination: { ...merged.pagination, offset, limit } };
		}
	};

	const api = {
		get baseUrl() {
			return first().transport.api.baseUrl;
		},
		jobs,
		url: (path: string, query?: Record<string, string | undefined>) => first().transport.api.url(path, query),
		queuePrompt: (input: QueuePromptInput) => core.submit(input),
		async getQueue(): Promise<QueueState> {
			const queues = await fromAll(core.reachable(), (rig) => rig.transport.api.getQueue());
			for (const { rig, value } of queues) for (const item of [...value.queue_running, ...value.queue_pending]) core.noteHolder(item[1], rig);
			return mergeQueues(queues.map((q) => q.value));
		},
		async deleteQueued(ids: string[]): Promise<void> {
			const groups = new Map<Rig, string[]>();
			for (const id of ids) for (const rig of byHolder(id)) groups.set(rig, [...(groups.get(rig) ?? []), id]);
			await fromAll([...groups.keys()], (rig) => rig.transport.api.deleteQueued(groups.get(rig)!));
		},
		async clearQueue(): Promise<void> {
			await fromAll(core.reachable(), (rig) => rig.transport.api.clearQueue());
		},
		getHistory: (promptId: string, signal?: AbortSignal) => findOnRigs(promptId, (rig) => rig.transport.api.getHistory(promptId, signal), historyOutputs),
		async getRecentHistory(max: number) {
			const histories = await fromAll(core.reachable(), (rig) => rig.transport.api.getRecentHistory(max));
			for (const { rig, value } of histories) for (const [id, entry] of Object.entries(value)) core.noteHolder(id, rig, entry.outputs);
			return mergeHistories(
				histories.map((h) => h.value),
				max
			);
		},
		viewUrl: (file: OutputFile, opts?: ViewOptions) => (core.rigOfFile(file) ?? first()).transport.api.viewUrl(file, opts),
		fetchView: (file: OutputFile, opts?: ViewOptions & { signal?: AbortSignal; timeoutMs?: number }) => (core.rigOfFile(file) ?? first()).transport.api.fetchView(file, opts),
		uploadImage: (blob: Blob, filename: string, opts?: UploadOptions) => core.upload(blob, filename, opts),
		async interrupt(promptId?: string): Promise<void> {
			if (promptId === undefined) throw new ComfyError('http', 'A pool stops jobs by prompt id only: it never interrupts whatever a rig runs.');
			await fromAll(byHolder(promptId), (rig) => rig.transport.api.interrupt(promptId));
		},
		async getObjectInfo(opts: { refresh?: boolean } = {}) {
			const infos = await fromAll(core.reachable(), async (rig) => {
				if (opts.refresh || !rig.objectInfo) await rig.learn(opts.refresh);
				if (!rig.objectInfo) throw new ComfyError('network', `${rig.name} did not send its node definitions.`);
				return rig.objectInfo;
			});
			return mergeObjectInfo(infos.map((i) => i.value));
		},
		async refreshNodeClass(name: string) {
			const rig = core.reachable().find((r) => r.objectInfo && Object.hasOwn(r.objectInfo, name)) ?? first();
			return rig.transport.api.refreshNodeClass(name);
		},
		async listModelFolders() {
			const lists = await fromAll(core.reachable(), (rig) => rig.transport.api.listModelFolders());
			return [...new Set(lists.flatMap((l) => l.value))];
		},
		async listModels(folder: string) {
			const lists = await fromAll(core.reachable(), (rig) => rig.transport.api.listModels(folder).catch(() => [] as string[]));
			return [...new Set(lists.flatMap((l) => l.value))].sort();
		},
		systemStats: () => first().transport.api.systemStats(),
		features: () => first().transport.api.features(),
		listUserWorkflows: () => first().transport.api.listUserWorkflows(),
		getUserWorkflow: (path: string) => first().transport.api.getUserWorkflow(path)
	};
	return api as unknown as ComfyApi;
}

