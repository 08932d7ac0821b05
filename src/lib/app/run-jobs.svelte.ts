// The jobs this app has sent to ComfyUI, across workflows and screens: submission, live progress and previews,
// Stop/cancel, and saving results when a job succeeds. Fed by the transport's events through a JobTracker;
// knows nothing of components (they read the getters).
import { JobTracker, type JobState } from '../comfy/jobs';
import type { ComfyEvent } from '../comfy/events';
import type { ComfyError } from '../comfy/errors';
import type { ComfyTransport, ConnectionState } from '../comfy/transport';
import type { ApiPrompt, ExtraData } from '../comfy/types';
import { randomId } from '../comfy/ids';
import type { ResultRecord } from '../storage';
import { queueRun, ScreenAwake, stopRuns } from './run.service';
import { saveRunResults, type ThumbnailMaker } from './run-results.service';
import { nodeTitles } from './run-prepare';

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
	| { ok: false; promptIds: string[]; error: ComfyError };

interface JobContext {
	serverId: string;
	values: Record<string, unknown>;
	prompt: ApiPrompt;
}

const ACTIVE: RunStatus[] = ['submitting', 'queued', 'running', 'saving'];
const FINISHED: RunStatus[] = ['done', 'failed', 'stopped', 'cancelled'];
/** Finished jobs kept in the list; older ones are in the gallery anyway. */
const KEEP_FINISHED = 20;

export interface RunJobsOptions {
	makeThumbnail?: ThumbnailMaker;
	now?: () => number;
	onResult?: (result: ResultRecord) => void;
}

export class RunJobs {
	#jobs = $state<RunJob[]>([]);
	#preview = $state.raw<LivePreview | null>(null);
	#connection = $state.raw<ConnectionState | null>(null);
	#notices = $state<string[]>([]);
	#transport = $state.raw<ComfyTransport | null>(null);
	#tracker: JobTracker | null = null;
	#unsubscribe: (() => void)[] = [];
	#context = new Map<string, JobContext>();
	#resultListeners = new Set<(result: ResultRecord) => void>();
	#awake = new ScreenAwake();
	#options: RunJobsOptions;

	constructor(options: RunJobsOptions = {}) {
		this.#options = options;
		if (options.onResult) this.#resultListeners.add(options.onResult);
	}

	get jobs(): readonly RunJob[] {
		return this.#jobs;
	}
	get preview(): LivePreview | null {
		return this.#preview;
	}
	get connection(): ConnectionState | null {
		return this.#connection;
	}
	/** Messages for the banner (stop failures, results that could not be saved). */
	get notices(): readonly string[] {
		return this.#notices;
	}
	get active(): RunJob[] {
		return this.#jobs.filter((j) => ACTIVE.includes(j.status));
	}
	get running(): RunJob | null {
		return this.#jobs.find((j) => j.status === 'running') ?? null;
	}
	get attached(): boolean {
		return this.#transport !== null;
	}

	jobsOf(workflowId: string): RunJob[] {
		return this.#jobs.filter((j) => j.workflowId === workflowId);
	}

	onResult(fn: (result: ResultRecord) => void): () => void {
		this.#resultListeners.add(fn);
		return () => this.#resultListeners.delete(fn);
	}

	dismissNotice(index: number): void {
		this.#notices.splice(index, 1);
	}

	/** Follows a transport (LAN or relay). Switching servers leaves the old server's jobs as they were last seen. */
	attach(transport: ComfyTransport | null): void {
		if (transport === this.#transport) return;
		this.detach();
		if (!transport) return;
		this.#transport = transport;
		const tracker = new JobTracker({ api: transport.api, now: this.#options.now });
		this.#tracker = tracker;
		this.#unsubscribe.push(
			tracker.subscribe((state) => this.#onJobState(state)),
			transport.events.subscribe((event) => this.#onEvent(event))
		);
		this.#connection = transport.events.state;
	}

	detach(): void {
		for (const off of this.#unsubscribe) off();
		this.#unsubscribe = [];
		this.#transport = null;
		this.#tracker = null;
		this.#preview = null;
		this.#awake.set(false);
	}

	/**
	 * Queues the runs one after another. A rejection (validation errors) stops the batch there and comes back to
	 * the form; runs already queued keep going.
	 */
	async submit(request: RunRequest): Promise<SubmitOutcome> {
		const transport = this.#transport;
		const tracker = this.#tracker;
		const queued: string[] = [];
		if (!transport || !tracker) throw new Error('RunJobs.submit needs a connected server: call attach() first.');
		const total = request.runs.length;
		for (const [i, run] of request.runs.entries()) {
			const promptId = randomId();
			this.#context.set(promptId, { serverId: request.serverId, values: run.values, prompt: run.prompt });
			this.#jobs.push(this.#newJob(promptId, request.workflowId, total > 1 ? `Run ${i + 1} of ${total}` : 'Run'));
			tracker.track(promptId, { nodeTitles: request.nodeTitles ?? nodeTitles(run.prompt) });
			const outcome = await queueRun({
				api: transport.api,
				clientId: transport.clientId,
				prompt: run.prompt,
				extraData: run.extraData,
				promptId
			});
			if (!outcome.ok) {
				tracker.forget(promptId);
				this.#context.delete(promptId);
				this.#removeJob(promptId);
				return { ok: false, promptIds: queued, error: outcome.error };
			}
			queued.push(promptId);
			this.#patch(promptId, (job) => {
				if (job.status === 'submitting') job.status = 'queued';
			});
		}
		this.#syncAwake();
		return { ok: true, promptIds: queued };
	}

	/** Interrupts our running job and deletes our pending ones; other users' jobs are never touched. */
	async stop(workflowId?: string): Promise<void> {
		const api = this.#transport?.api;
		if (!api) return;
		const mine = this.active.filter((j) => !workflowId || j.workflowId === workflowId);
		const running = mine.find((j) => j.status === 'running') ?? null;
		const pending = mine.filter((j) => j.status === 'queued' || j.status === 'submitting');
		for (const job of mine) this.#patch(job.promptId, (j) => (j.cancelRequested = true));
		const failures = await stopRuns(api, running?.promptId ?? null, pending.map((j) => j.promptId));
		this.#notices.push(...failures);
		if (failures.length === 0) for (const job of pending) this.#endPending(job.promptId);
	}

	/** Cancels one job: interrupt if it runs, else delete it from the queue. */
	async cancel(promptId: string): Promise<void> {
		const api = this.#transport?.api;
		const job = this.#jobs.find((j) => j.promptId === promptId);
		if (!api || !job || !ACTIVE.includes(job.status)) return;
		this.#patch(promptId, (j) => (j.cancelRequested = true));
		const running = job.status === 'running';
		const failures = await stopRuns(api, running ? promptId : null, running ? [] : [promptId]);
		this.#notices.push(...failures);
		if (!running && failures.length === 0) this.#endPending(promptId);
	}

	/** Finished jobs leave the list; their results stay in the gallery. */
	clearFinished(): void {
		this.#jobs = this.#jobs.filter((j) => !FINISHED.includes(j.status));
	}

	#endPending(promptId: string): void {
		// Deleted from the server queue: no event will ever come for it, so stop tracking.
		this.#tracker?.forget(promptId);
		this.#context.delete(promptId);
		this.#patch(promptId, (j) => {
			if (j.status === 'queued' || j.status === 'submitting') {
				j.status = 'cancelled';
				j.endedAt = this.#now();
			}
		});
		this.#syncAwake();
	}

	#onEvent(event: ComfyEvent): void {
		if (event.type === 'connection') {
			const wasLive = this.#connection?.status === 'live';
			this.#connection = event.state;
			// Nothing is buffered while disconnected: rebuild from /queue and /history once live again.
			if (event.state.status === 'live' && !wasLive) void this.#tracker?.reconcile();
			return;
		}
		this.#tracker?.handle(event);
		if (this.#connection) this.#connection = { ...this.#connection, lastEventAt: this.#now() };
	}

	#onJobState(state: JobState): void {
		const job = this.#jobs.find((j) => j.promptId === state.promptId);
		if (!job || FINISHED.includes(job.status) || job.status === 'saving') return;
		if (state.preview && state.status === 'running' && this.#preview?.at !== state.preview.at) {
			this.#preview = { promptId: state.promptId, image: state.preview.image, mime: state.preview.mime, at: state.preview.at };
		}
		switch (state.status) {
			case 'queued':
				this.#patch(job.promptId, (j) => {
					if (j.status === 'submitting') j.status = 'queued';
					j.queuePosition = state.queuePosition ?? null;
				});
				break;
			case 'running':
				if (job.cancelRequested && job.status !== 'running' && this.#transport) {
					void stopRuns(this.#transport.api, job.promptId, []);
				}
				this.#patch(job.promptId, (j) => {
					j.status = 'running';
					j.queuePosition = null;
					j.startedAt ??= state.startedAt ?? this.#now();
					j.progress = state.progress;
					j.node = state.node ? (state.node.title ?? state.node.id) : null;
					j.step = state.step ? { value: state.step.value, max: state.step.max } : null;
				});
				break;
			case 'succeeded':
				this.#finish(job.promptId, 'saving', state);
				void this.#save(job.promptId, state);
				break;
			case 'failed':
				this.#finish(job.promptId, 'failed', state);
				this.#patch(job.promptId, (j) => (j.error = describeFailure(state)));
				break;
			case 'interrupted':
				this.#finish(job.promptId, 'stopped', state);
				break;
			default: {
				const unexpected: never = state.status;
				throw new Error(`Unknown job status ${String(unexpected)}`);
			}
		}
	}

	#finish(promptId: string, status: RunStatus, state: JobState): void {
		this.#patch(promptId, (j) => {
			j.status = status;
			j.progress = status === 'stopped' || status === 'failed' ? j.progress : 1;
			j.endedAt = state.endedAt ?? this.#now();
			j.startedAt ??= state.startedAt ?? null;
		});
		if (this.#preview?.promptId === promptId) this.#preview = null;
		this.#syncAwake();
		this.#trimFinished();
	}

	async #save(promptId: string, state: JobState): Promise<void> {
		const context = this.#context.get(promptId);
		const job = this.#jobs.find((j) => j.promptId === promptId);
		const api = this.#transport?.api;
		if (!context || !job || !api) return;
		const outcome = await saveRunResults({
			api,
			workflowId: job.workflowId,
			promptId,
			serverId: context.serverId,
			values: context.values,
			prompt: context.prompt,
			outputs: state.outputs,
			makeThumbnail: this.#options.makeThumbnail
		});
		this.#context.delete(promptId);
		this.#tracker?.forget(promptId);
		this.#notices.push(...outcome.skipped.map((s) => `A result file could not be fetched: ${s}`));
		if (!outcome.ok) {
			this.#notices.push(outcome.error.message);
			this.#patch(promptId, (j) => ((j.status = 'failed'), (j.error = outcome.error.message)));
			return;
		}
		this.#patch(promptId, (j) => ((j.status = 'done'), (j.resultId = outcome.result?.id ?? null)));
		if (outcome.result) for (const fn of this.#resultListeners) fn(outcome.result);
		this.#syncAwake();
	}

	#newJob(promptId: string, workflowId: string, label: string): RunJob {
		return {
			promptId,
			workflowId,
			label,
			status: 'submitting',
			progress: 0,
			node: null,
			step: null,
			queuePosition: null,
			submittedAt: this.#now(),
			startedAt: null,
			endedAt: null,
			error: null,
			resultId: null,
			cancelRequested: false
		};
	}

	#patch(promptId: string, change: (job: RunJob) => void): void {
		const job = this.#jobs.find((j) => j.promptId === promptId);
		if (job) change(job);
	}

	#removeJob(promptId: string): void {
		this.#jobs = this.#jobs.filter((j) => j.promptId !== promptId);
	}

	#trimFinished(): void {
		const finished = this.#jobs.filter((j) => FINISHED.includes(j.status));
		if (finished.length <= KEEP_FINISHED) return;
		const drop = new Set(finished.slice(0, finished.length - KEEP_FINISHED).map((j) => j.promptId));
		this.#jobs = this.#jobs.filter((j) => !drop.has(j.promptId));
	}

	#syncAwake(): void {
		this.#awake.set(this.active.length > 0);
	}

	#now(): number {
		return this.#options.now?.() ?? Date.now();
	}
}

function describeFailure(state: JobState): string {
	const error = state.error;
	if (!error) return 'The job failed on the server.';
	const where = error.nodeType ? ` (in ${error.nodeType}${error.nodeId ? ` #${error.nodeId}` : ''})` : '';
	return `${error.message}${where}`;
}

/** The app's one set of jobs; the Run screen attaches it to the session's transport. */
export const runJobs = new RunJobs();
