// The jobs this app has sent to ComfyUI, across workflows and screens: submission, live progress and previews,
// Stop/cancel, and saving results when a job succeeds. Fed by the transport's events through a JobTracker;
// knows nothing of components (they read the getters).
import { m } from '$lib/i18n';
import { JobTracker, type JobState } from '../../comfy/jobs';
import { followJobs } from '../../comfy/follow';
import type { ComfyEvent } from '../../comfy/events';
import type { ComfyTransport, ConnectionState } from '../../comfy/transport';
import { randomId } from '../../comfy/ids';
import type { ResultRecord } from '../../storage';
import { queuedAnyway, queueRun, ScreenAwake, stopRuns } from './run.service';
import { saveRunResults, type ThumbnailMaker } from './results.service';
import { nodeTitles } from './prepare';
import { describeFailure, newJob, type LivePreview, type RunJob, type RunRequest, type RunStatus, type SubmitOutcome } from './job';
import { loadPendingRuns, savePendingRuns, type PendingRun } from './resume.service';

export type { LivePreview, RunJob, RunRequest, RunStatus, SubmitOutcome } from './job';

type JobContext = PendingRun;

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
	#endListeners = new Set<(job: RunJob, result: ResultRecord | null) => void>();
	#awake = new ScreenAwake();
	#options: RunJobsOptions;
	#serverId: string | null = null;
	#persisting: Promise<unknown> = Promise.resolve();

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

	/** Each job that ends on the server (done, failed, stopped), once, with its saved result if any ("Done" alerts). */
	onEnd(fn: (job: RunJob, result: ResultRecord | null) => void): () => void {
		this.#endListeners.add(fn);
		return () => this.#endListeners.delete(fn);
	}

	dismissNotice(index: number): void {
		this.#notices.splice(index, 1);
	}

	/**
	 * Follows a transport (LAN or relay). Switching servers leaves the old server's jobs as they were last seen.
	 * Jobs of this server noted before a reload are tracked again (see resume.service).
	 */
	attach(transport: ComfyTransport | null, serverId: string | null = null): Promise<void> {
		if (transport === this.#transport) return Promise.resolve();
		this.detach();
		if (!transport) return Promise.resolve();
		this.#transport = transport;
		this.#serverId = serverId;
		const tracker = new JobTracker({ api: transport.api, now: this.#options.now });
		this.#tracker = tracker;
		this.#unsubscribe.push(
			tracker.subscribe((state) => this.#onJobState(state)),
			// Events in, reconcile after every gap, polling while the socket is down, and a check when a running
			// job goes silent (a socket can stay open yet deaf).
			followJobs(transport.events, tracker),
			transport.events.subscribe((event) => this.#onEvent(event))
		);
		this.#connection = transport.events.state;
		return serverId ? this.#restore(serverId) : Promise.resolve();
	}

	async #restore(serverId: string): Promise<void> {
		const saved = await loadPendingRuns();
		if (this.#serverId !== serverId) return;
		const restored = saved.filter((run) => run.serverId === serverId && this.#follow(run));
		if (restored.length === 0) return;
		this.#syncAwake();
		if (this.#connection?.status === 'live') await this.#tracker?.reconcile();
	}

	/**
	 * Takes over a run the outbox has just sent (or found on the server): tracked, noted for reloads, its result
	 * saved like any other. False when this server is not the one followed now (the outbox keeps it till then).
	 */
	async adopt(run: PendingRun): Promise<boolean> {
		if (this.#serverId !== run.serverId) return false;
		if (this.#follow(run)) {
			this.#persist();
			this.#syncAwake();
			if (this.#connection?.status === 'live') void this.#tracker?.reconcile();
		}
		await this.flushed();
		return true;
	}

	#follow(run: PendingRun): boolean {
		const tracker = this.#tracker;
		if (!tracker || this.#context.has(run.promptId) || this.#jobs.some((j) => j.promptId === run.promptId)) return false;
		this.#context.set(run.promptId, run);
		this.#jobs.push({ ...newJob(run.promptId, run.workflowId, run.label, run.submittedAt), status: 'queued' });
		tracker.track(run.promptId, { nodeTitles: nodeTitles(run.prompt) });
		return true;
	}

	detach(): void {
		for (const off of this.#unsubscribe) off();
		this.#unsubscribe = [];
		this.#transport = null;
		this.#serverId = null;
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
			const label = total > 1 ? m.run_label_of({ index: i + 1, total }) : m.run_label_one();
			const job = newJob(promptId, request.workflowId, label, this.#now());
			this.#context.set(promptId, { promptId, workflowId: request.workflowId, serverId: request.serverId, label, submittedAt: job.submittedAt, values: run.values, prompt: run.prompt });
			this.#jobs.push(job);
			tracker.track(promptId, { nodeTitles: request.nodeTitles ?? nodeTitles(run.prompt) });
			const outcome = await queueRun({
				api: transport.api,
				clientId: transport.clientId,
				prompt: run.prompt,
				extraData: run.extraData,
				promptId
			});
			if (!outcome.ok && !(await queuedAnyway(transport.api, promptId, outcome.error))) {
				tracker.forget(promptId);
				this.#context.delete(promptId);
				this.#removeJob(promptId);
				this.#persist();
				return { ok: false, promptIds: queued, error: outcome.error, stoppedAt: { index: i, promptId } };
			}
			if (!outcome.ok) this.#notices.push(m.jobs_unconfirmed({ label }));
			queued.push(promptId);
			this.#patch(promptId, (job) => {
				if (job.status === 'submitting') job.status = 'queued';
			});
			this.#persist();
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
		// A job still "queued" here may have started on the server before the delete arrived (deleting a running
		// prompt does nothing): interrupt those too, and let their end come through the tracker as "stopped".
		const started = failures.length === 0 ? await this.#runningOnServer(api, pending) : [];
		for (const promptId of started) failures.push(...(await stopRuns(api, promptId, [])));
		this.#notices.push(...failures);
		if (failures.length === 0) for (const job of pending) if (!started.includes(job.promptId)) this.#endPending(job.promptId);
	}

	async #runningOnServer(api: ComfyTransport['api'], jobs: RunJob[]): Promise<string[]> {
		if (jobs.length === 0) return [];
		const queue = await api.getQueue().catch(() => null);
		const ours = new Set(jobs.map((j) => j.promptId));
		return (queue?.queue_running ?? []).map((item) => item[1]).filter((id) => ours.has(id));
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
		this.#persist();
		this.#patch(promptId, (j) => {
			if (j.status === 'queued' || j.status === 'submitting') {
				j.status = 'cancelled';
				j.endedAt = this.#now();
			}
		});
		this.#syncAwake();
	}

	#onEvent(event: ComfyEvent): void {
		// The tracker gets every event through followJobs; here only the connection line is kept current.
		if (event.type === 'connection') {
			this.#connection = event.state;
			return;
		}
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
				this.#patch(job.promptId, (j) => (j.error = describeFailure(state)));
				this.#finish(job.promptId, 'failed', state);
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
		if (status !== 'saving') {
			this.#context.delete(promptId);
			this.#tracker?.forget(promptId);
			this.#persist();
			this.#ended(promptId, null);
		}
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
		this.#persist();
		this.#notices.push(...outcome.skipped.map((s) => m.jobs_result_fetch_failed({ file: s })));
		if (!outcome.ok) {
			this.#notices.push(outcome.error.message);
			this.#patch(promptId, (j) => ((j.status = 'failed'), (j.error = outcome.error.message)));
			this.#ended(promptId, null);
			return;
		}
		this.#patch(promptId, (j) => ((j.status = 'done'), (j.resultId = outcome.result?.id ?? null)));
		if (outcome.result) for (const fn of this.#resultListeners) fn(outcome.result);
		this.#ended(promptId, outcome.result);
		this.#syncAwake();
	}

	#ended(promptId: string, result: ResultRecord | null): void {
		const job = this.#jobs.find((j) => j.promptId === promptId);
		if (job) for (const fn of this.#endListeners) fn($state.snapshot(job), result);
	}

	/** Writes the unfinished jobs down, one write after another so an older list never lands last. */
	#persist(): void {
		const runs = [...this.#context.values()];
		this.#persisting = this.#persisting.then(async () => {
			const problem = await savePendingRuns(runs);
			if (problem) this.#notices.push(problem);
		});
	}

	/** Resolves once the unfinished jobs are written down (tests, and before the page is hidden). */
	flushed(): Promise<unknown> {
		return this.#persisting;
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

/** The app's one set of jobs; the Run screen attaches it to the session's transport. */
export const runJobs = new RunJobs();
