// Follows our prompts through their lives: queued → running (node, step, weighted progress, latest preview) →
// succeeded | failed | interrupted. Fed ComfyEvents from any EventStream; after a gap it rebuilds from /queue and
// /api/jobs/{id} or /history (job-outcome.ts) so no result is lost. Knows nothing of the UI.
import type { ComfyEvent } from './events';
import type { ComfyApi } from './http';
import { Listeners } from './listeners';
import {
	errorFromExecutionData,
	isFinished,
	queuePlace,
	type FinalOutcome,
	type JobError
} from './job-history';
import { readOutcome, type OutcomeApi } from './job-outcome';
import { resolveTrackOptions, type JobState, type TrackOptions } from './job-state';
import type { ComfyMessage, ProgressStateData } from './messages';
import { weightedProgress, type NodeProgress } from './progress';
import type { QueueState } from './types';

export type { JobPreview, JobState, JobStatus, TrackOptions } from './job-state';
export { isFinished, type JobError } from './job-history';

export interface JobTrackerOptions {
	api?: Pick<ComfyApi, 'getHistory' | 'getQueue'> & OutcomeApi;
	now?: () => number;
}

interface Tracked {
	state: JobState;
	nodeIds: string[];
	nodeTitles: Record<string, string>;
	samplerNodeIds: string[];
	nodes: Map<string, NodeProgress>;
	/** Id of the node executing now, as the server names it (may be a path like `12:3`; the state shows its display id). */
	runningNode?: string;
	/** The server has acknowledged it (seen in /queue or in an event): its disappearance then means loss. */
	seen: boolean;
	/** Events may have been missed while it was unfinished: confirm the outcome with /history. */
	gap: boolean;
}

const LOST_MESSAGE = 'The server no longer knows this job (was it restarted or its history cleared?).';

export class JobTracker {
	readonly #api?: Pick<ComfyApi, 'getHistory' | 'getQueue'> & OutcomeApi;
	readonly #now: () => number;
	readonly #jobs = new Map<string, Tracked>();
	readonly #listeners = new Listeners<JobState>();
	/** The prompt our client is executing, for events that do not name one (legacy previews, replayed executing). */
	#running: string | null = null;
	#reconciling: Promise<void> | null = null;
	#reconcileAgain = false;
	#queueSync: Promise<void> | null = null;

	constructor(opts: JobTrackerOptions = {}) {
		this.#api = opts.api;
		this.#now = opts.now ?? Date.now;
	}

	/** Call before queueing the prompt, so no early event is missed. Tracking again updates the options. */
	track(promptId: string, options: TrackOptions = {}): JobState {
		const opts = resolveTrackOptions(options);
		const existing = this.#jobs.get(promptId);
		const nodeTitles = opts.nodeTitles ?? existing?.nodeTitles ?? {};
		const job: Tracked = existing ?? {
			state: { promptId, status: 'queued', progress: 0, outputs: {}, cachedNodes: [] },
			nodeIds: [],
			nodeTitles: {},
			samplerNodeIds: [],
			nodes: new Map(),
			seen: false,
			gap: false
		};
		job.nodeTitles = nodeTitles;
		job.nodeIds = opts.nodeIds ?? (Object.keys(nodeTitles).length ? Object.keys(nodeTitles) : job.nodeIds);
		job.samplerNodeIds = opts.samplerNodeIds ?? job.samplerNodeIds;
		this.#jobs.set(promptId, job);
		return snapshot(job.state);
	}

	get(promptId: string): JobState | undefined {
		const job = this.#jobs.get(promptId);
		return job && snapshot(job.state);
	}

	list(): JobState[] {
		return [...this.#jobs.values()].map((job) => snapshot(job.state));
	}

	forget(promptId: string): void {
		this.#jobs.delete(promptId);
		if (this.#running === promptId) this.#running = null;
	}

	subscribe(fn: (job: JobState) => void): () => void {
		return this.#listeners.add(fn);
	}

	handle(event: ComfyEvent): void {
		switch (event.type) {
			case 'message':
				this.#onMessage(event.message);
				break;
			case 'preview':
				this.#onPreview(event);
				break;
			case 'connection':
				if (event.state.status !== 'live') this.#markGap();
				break;
			case 'text':
				break;
			default: {
				const unknown: never = event;
				return unknown;
			}
		}
	}

	/**
	 * Rebuilds every unfinished job from /queue, then /history for those no longer queued. Call it whenever the
	 * stream comes back after a gap (nothing is buffered server-side). Concurrent calls share one pass.
	 */
	reconcile(): Promise<void> {
		this.#markGap();
		if (this.#reconciling) {
			// The pass under way may have read /queue before this new gap: run once more after it.
			this.#reconcileAgain = true;
			return this.#reconciling;
		}
		this.#reconciling = this.#reconcileAll().finally(() => {
			this.#reconciling = null;
			if (this.#reconcileAgain) {
				this.#reconcileAgain = false;
				void this.reconcile();
			}
		});
		return this.#reconciling;
	}

	#onMessage(message: ComfyMessage): void {
		switch (message.type) {
			case 'status':
				return this.#onQueueChanged(message.data.status.exec_info.queue_remaining);
			case 'execution_start':
				return this.#update(message.data.prompt_id, (job) => {
					this.#running = job.state.promptId;
					this.#start(job, message.data.timestamp);
				});
			case 'execution_cached':
				return this.#update(message.data.prompt_id, (job) => {
					this.#start(job);
					job.state.cachedNodes = [...message.data.nodes];
					this.#recomputeProgress(job);
				});
			case 'executing':
				return this.#onExecuting(message.data.node, message.data.display_node, message.data.prompt_id);
			case 'progress':
				return this.#update(message.data.prompt_id ?? this.#running, (job) => {
					this.#start(job);
					const { value, max, node } = message.data;
					job.state.step = { value, max };
					const id = node ?? job.runningNode;
					if (id !== undefined) job.nodes.set(id, { value, max, done: false });
					this.#recomputeProgress(job);
				});
			case 'progress_state':
				return this.#update(message.data.prompt_id, (job) => this.#onProgressState(job, message.data));
			case 'executed':
				return this.#update(message.data.prompt_id, (job) => {
					if (message.data.output) job.state.outputs[message.data.node] = message.data.output;
				});
			case 'execution_success':
				return this.#finish(message.data.prompt_id, { status: 'succeeded', endedAt: message.data.timestamp });
			case 'execution_error':
				return this.#finish(message.data.prompt_id, {
					status: 'failed',
					endedAt: message.data.timestamp,
					error: errorFromExecutionData(message.data as unknown as Record<string, unknown>)
				});
			case 'execution_interrupted':
				return this.#finish(message.data.prompt_id, { status: 'interrupted', endedAt: message.data.timestamp });
			case 'feature_flags':
				return;
			default: {
				const unknown: never = message;
				return unknown;
			}
		}
	}

	#onExecuting(node: string | null, displayNode: string | undefined, promptId: string | undefined): void {
		if (node === null) {
			// The prompt is over. Normally its outcome came just before; if not, it was missed: ask history.
			if (promptId === undefined) return;
			if (this.#running === promptId) this.#running = null;
			const job = this.#jobs.get(promptId);
			if (job && !isFinished(job.state.status)) {
				job.gap = true;
				void this.#confirmFromHistory(job);
			}
			return;
		}
		// Without a prompt id this is the replay a reconnecting socket gets: it belongs to our running prompt.
		this.#update(promptId ?? this.#running ?? this.#onlyRunning(), (job) => {
			this.#start(job);
			if (promptId) this.#running = promptId;
			const previous = job.runningNode;
			if (previous !== undefined && previous !== node) this.#markNodeDone(job, previous);
			job.runningNode = node;
			const shown = displayNode ?? node;
			const title = job.nodeTitles[shown] ?? job.nodeTitles[node];
			job.state.node = title === undefined ? { id: shown } : { id: shown, title };
			if (previous !== node) delete job.state.step;
			if (!job.nodes.has(node)) job.nodes.set(node, { value: 0, max: 1, done: false });
			this.#recomputeProgress(job);
		});
	}

	#onQueueChanged(remaining: number): void {
		const unfinished = this.#unfinished();
		if (remaining > 0) {
			if (unfinished.some((job) => job.state.status === 'queued')) void this.#syncQueue();
			return;
		}
		// The server is idle, so every job it had acknowledged is over; one still open here lost its end.
		// History is written before this broadcast, so it can be asked right away.
		for (const job of unfinished) if (job.seen && this.#api) void this.#confirmFromHistory(job);
	}

	#onProgressState(job: Tracked, data: ProgressStateData): void {
		this.#start(job);
		for (const [id, p] of Object.entries(data.nodes)) {
			job.nodes.set(id, { value: p.value, max: p.max, done: p.state === 'finished' });
		}
		this.#recomputeProgress(job);
	}

	#onPreview(event: Extract<ComfyEvent, { type: 'preview' }>): void {
		// Type-4 previews name their prompt; type-1 previews belong to whatever our client is running.
		const promptId = event.promptId ?? this.#running;
		const job = promptId ? this.#jobs.get(promptId) : undefined;
		if (!job || isFinished(job.state.status)) return;
		this.#start(job);
		job.state.preview = { mime: event.mime, image: event.image, at: this.#now(), ...(event.nodeId ? { nodeId: event.nodeId } : {}) };
		this.#emit(job);
	}

	#start(job: Tracked, timestamp?: number): void {
		job.seen = true;
		if (job.state.status !== 'queued') return;
		job.state.status = 'running';
		job.state.startedAt = timestamp ?? this.#now();
		delete job.state.queuePosition;
	}

	#markNodeDone(job: Tracked, nodeId: string): void {
		const p = job.nodes.get(nodeId);
		job.nodes.set(nodeId, { value: p?.max ?? 1, max: p?.max ?? 1, done: true });
	}

	#recomputeProgress(job: Tracked): void {
		const computed = weightedProgress({
			nodeIds: job.nodeIds,
			samplerNodeIds: job.samplerNodeIds,
			cachedNodes: job.state.cachedNodes,
			nodes: job.nodes
		});
		// A node that turns out to have many steps gains weight mid-run; never let the bar go backwards for it.
		job.state.progress = Math.max(job.state.progress, computed);
	}

	#finish(promptId: string, outcome: Pick<FinalOutcome, 'status' | 'endedAt' | 'error'>): void {
		const job = this.#jobs.get(promptId);
		if (!job || isFinished(job.state.status)) return;
		if (this.#running === promptId) this.#running = null;
		if (job.gap && this.#api) {
			void this.#confirmFromHistory(job, outcome);
			return;
		}
		this.#settle(job, { ...outcome, outputs: job.state.outputs, cachedNodes: job.state.cachedNodes });
	}

	/** Settles a job from /history; `fallback` is what the socket said, used if history cannot be read. */
	async #confirmFromHistory(job: Tracked, fallback?: Pick<FinalOutcome, 'status' | 'endedAt' | 'error'>): Promise<void> {
		let outcome: FinalOutcome | null = null;
		try {
			outcome = this.#api ? await readOutcome(this.#api, job.state.promptId) : null;
		} catch {
			outcome = null;
		}
		if (this.#jobs.get(job.state.promptId) !== job || isFinished(job.state.status)) return;
		if (outcome) {
			this.#settle(job, { ...outcome, outputs: { ...job.state.outputs, ...outcome.outputs } });
		} else if (fallback) {
			this.#settle(job, { ...fallback, outputs: job.state.outputs, cachedNodes: job.state.cachedNodes });
		}
	}

	#settle(job: Tracked, outcome: FinalOutcome): void {
		const state = job.state;
		state.status = outcome.status;
		state.outputs = outcome.outputs;
		state.cachedNodes = outcome.cachedNodes.length ? outcome.cachedNodes : state.cachedNodes;
		state.startedAt ??= outcome.startedAt;
		state.endedAt = outcome.endedAt ?? this.#now();
		if (outcome.error) state.error = outcome.error;
		if (outcome.status === 'succeeded') state.progress = 1;
		delete state.queuePosition;
		delete state.step;
		delete state.node;
		delete state.preview;
		job.seen = true;
		this.#emit(job);
	}

	async #reconcileAll(): Promise<void> {
		if (!this.#api || this.#unfinished().length === 0) return;
		const queue = await this.#fetchQueue();
		if (queue) this.#applyQueue(queue);
		const notQueued = this.#unfinished().filter((job) => !queue || queuePlace(queue, job.state.promptId).where === 'absent');
		await Promise.all(
			notQueued.map(async (job) => {
				await this.#confirmFromHistory(job);
				// Out of the queue and not in history: a job the server had acknowledged is gone for good.
				if (queue && job.seen && !isFinished(job.state.status) && this.#jobs.get(job.state.promptId) === job) {
					this.#settle(job, { status: 'failed', outputs: job.state.outputs, cachedNodes: [], error: { message: LOST_MESSAGE } });
				}
			})
		);
	}

	/** Refreshes queue positions after the server announced a queue change. */
	#syncQueue(): Promise<void> {
		if (!this.#queueSync) {
			this.#queueSync = this.#fetchQueue()
				.then((queue) => (queue ? this.#applyQueue(queue) : undefined))
				.finally(() => (this.#queueSync = null));
		}
		return this.#queueSync;
	}

	async #fetchQueue(): Promise<QueueState | null> {
		try {
			return this.#api ? await this.#api.getQueue() : null;
		} catch {
			return null;
		}
	}

	#applyQueue(queue: QueueState): void {
		for (const job of this.#unfinished()) {
			const place = queuePlace(queue, job.state.promptId);
			if (place.where === 'absent') continue;
			if (place.where === 'running') {
				if (job.state.status === 'queued') this.#update(job.state.promptId, (j) => this.#start(j));
				job.seen = true;
				continue;
			}
			job.seen = true;
			if (job.state.status === 'queued' && job.state.queuePosition !== place.position) {
				this.#update(job.state.promptId, (j) => (j.state.queuePosition = place.position));
			}
		}
	}

	#markGap(): void {
		for (const job of this.#unfinished()) job.gap = true;
	}

	#unfinished(): Tracked[] {
		return [...this.#jobs.values()].filter((job) => !isFinished(job.state.status));
	}

	#onlyRunning(): string | null {
		const running = this.#unfinished().filter((job) => job.state.status === 'running');
		return running.length === 1 ? running[0].state.promptId : null;
	}

	#update(promptId: string | null | undefined, change: (job: Tracked) => void): void {
		const job = promptId ? this.#jobs.get(promptId) : undefined;
		if (!job || isFinished(job.state.status)) return;
		change(job);
		this.#emit(job);
	}

	#emit(job: Tracked): void {
		this.#listeners.emit(snapshot(job.state));
	}
}

function snapshot(state: JobState): JobState {
	return { ...state, outputs: { ...state.outputs }, cachedNodes: [...state.cachedNodes] };
}
