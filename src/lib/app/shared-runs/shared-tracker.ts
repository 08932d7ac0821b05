// Every prompt on the server, not only this phone's: a JobTracker that starts tracking any prompt it hears of (an
// event naming it, or the server's queue after a `status` broadcast), plus who queued and who stopped it (the
// relay's RunInfo) and what the queue says about it (the workflow title, its nodes, the UI workflow). The queue is
// read only when the server announces a change, never on a timer. Knows nothing of the UI.
import type { ComfyEvent } from '../../comfy/events';
import type { ComfyApi } from '../../comfy/http';
import { JobTracker, type JobState } from '../../comfy/jobs';
import { Listeners } from '../../comfy/listeners';
import type { ApiPrompt, ExtraData, QueueState } from '../../comfy/types';
import type { RunInfo } from '../../relay/protocol';

export interface SharedRun {
	promptId: string;
	state: JobState;
	owner: RunInfo | null;
	/** The workflow's name: from the relay, or from the prompt's `extra_data.comfy_pocket_title`. */
	title: string | null;
	prompt: ApiPrompt | null;
	/** The UI workflow the prompt carries (`extra_data.extra_pnginfo.workflow`), when it does. */
	workflow: unknown;
}

export type QueueApi = Pick<ComfyApi, 'getHistory' | 'getQueue'>;

interface Known {
	owner: RunInfo | null;
	title: string | null;
	prompt: ApiPrompt | null;
	workflow: unknown;
}

/** Message types that name a prompt that is running or about to run. */
const STARTS = new Set(['execution_start', 'execution_cached', 'executing', 'progress', 'progress_state', 'executed']);
const ENDS = new Set(['execution_success', 'execution_error', 'execution_interrupted']);

function titleOf(extra: ExtraData | undefined): string | null {
	const value = (extra as Record<string, unknown> | undefined)?.comfy_pocket_title;
	return typeof value === 'string' && value.trim() ? value.trim().slice(0, 80) : null;
}

function workflowOf(extra: ExtraData | undefined): unknown {
	const info = (extra as Record<string, unknown> | undefined)?.extra_pnginfo;
	return typeof info === 'object' && info !== null ? ((info as Record<string, unknown>).workflow ?? null) : null;
}

export class SharedRunTracker {
	readonly #api: QueueApi;
	readonly #tracker: JobTracker;
	readonly #known = new Map<string, Known>();
	readonly #listeners = new Listeners<SharedRun>();
	#queueRead: Promise<void> | null = null;
	#readAgain = false;

	constructor(api: QueueApi, opts: { now?: () => number } = {}) {
		this.#api = api;
		// The tracker's own queue reads and ours share one request when they coincide.
		this.#tracker = new JobTracker({ api: { getHistory: (id, signal) => api.getHistory(id, signal), getQueue: () => this.#queue() }, now: opts.now });
		this.#tracker.subscribe((state) => this.#emit(state));
	}

	subscribe(fn: (run: SharedRun) => void): () => void {
		return this.#listeners.add(fn);
	}

	list(): SharedRun[] {
		return this.#tracker.list().map((state) => this.#view(state));
	}

	get(promptId: string): SharedRun | undefined {
		const state = this.#tracker.get(promptId);
		return state && this.#view(state);
	}

	forget(promptId: string): void {
		this.#tracker.forget(promptId);
		this.#known.delete(promptId);
	}

	handle(event: ComfyEvent): void {
		if (event.type === 'message') {
			const { type, data } = event.message;
			const promptId = (data as { prompt_id?: unknown }).prompt_id;
			if (typeof promptId === 'string' && (STARTS.has(type) || ENDS.has(type))) this.#ensure(promptId);
			if (type === 'status') {
				this.#tracker.handle(event);
				void this.syncQueue();
				return;
			}
		}
		this.#tracker.handle(event);
		if (event.type === 'connection' && event.state.status === 'live') void this.syncQueue();
	}

	/** Who queued or stopped a prompt, as the relay told. */
	noteRun(run: RunInfo): void {
		const known = this.#ensure(run.promptId);
		known.owner = { ...run };
		known.title ??= run.title ?? null;
		const state = this.#tracker.get(run.promptId);
		if (state) this.#emit(state);
	}

	/**
	 * Reads the queue: every running or pending prompt becomes known (with its nodes, title and workflow), and one
	 * that left the queue is settled from the server's history. Calls made while a read is under way share it, and
	 * cause one more read after it (the queue may have changed in between).
	 */
	syncQueue(): Promise<void> {
		if (this.#queueRead) {
			this.#readAgain = true;
			return this.#queueRead;
		}
		this.#queueRead = this.#readQueue().finally(() => {
			this.#queueRead = null;
			if (this.#readAgain) {
				this.#readAgain = false;
				void this.syncQueue();
			}
		});
		return this.#queueRead;
	}

	async #readQueue(): Promise<void> {
		let queue: QueueState;
		try {
			queue = await this.#queue();
		} catch {
			return;
		}
		const present = new Set<string>();
		let added = false;
		for (const [, promptId, prompt, extra] of [...queue.queue_running, ...queue.queue_pending]) {
			present.add(promptId);
			added ||= !this.#known.has(promptId);
			const known = this.#ensure(promptId, prompt);
			known.title ??= titleOf(extra);
			known.workflow ??= workflowOf(extra);
		}
		const left = this.#tracker.list().some((job) => (job.status === 'queued' || job.status === 'running') && !present.has(job.promptId));
		// reconcile() applies the queue (positions, running) to the prompts just learnt of, and asks history about
		// the ones that left it. Otherwise the tracker's own reaction to `status` keeps the positions current.
		if (added || left) await this.#tracker.reconcile();
	}

	#queueFetch: Promise<QueueState> | null = null;

	#queue(): Promise<QueueState> {
		this.#queueFetch ??= this.#api.getQueue().finally(() => (this.#queueFetch = null));
		return this.#queueFetch;
	}

	#ensure(promptId: string, prompt?: ApiPrompt): Known {
		let known = this.#known.get(promptId);
		if (!known) {
			known = { owner: null, title: null, prompt: prompt ?? null, workflow: null };
			this.#known.set(promptId, known);
			this.#tracker.track(promptId, prompt ? { prompt } : {});
		} else if (prompt && !known.prompt) {
			known.prompt = prompt;
			this.#tracker.track(promptId, { prompt });
		}
		return known;
	}

	#view(state: JobState): SharedRun {
		const known = this.#known.get(state.promptId);
		return {
			promptId: state.promptId,
			state,
			owner: known?.owner ? { ...known.owner } : null,
			title: known?.owner?.title ?? known?.title ?? null,
			prompt: known?.prompt ?? null,
			workflow: known?.workflow ?? null
		};
	}

	#emit(state: JobState): void {
		this.#listeners.emit(this.#view(state));
	}
}
