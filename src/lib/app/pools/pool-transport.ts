// A pool of rigs as one ComfyTransport (issue 11), the way SwitchingTransport makes several routes of one server
// look like one: a stable `api` (pool-api.ts) and one event stream. Underneath, each prompt goes to the rig
// routing.ts picks, with that rig's client id (ComfyUI sends progress and previews only to the submitting client);
// every rig's events are merged, tagged with their prompt (rig.ts), and the queue count the tracker sees is the
// pool's total. A rig that stays away hands its waiting jobs to another rig that can run them, once, and reports the
// job it was running as lost; the user is told both.
import { ComfyError, toComfyError } from '$lib/comfy/errors';
import type { ComfyEvent } from '$lib/comfy/events';
import type { ComfyApi, QueuePromptInput, UploadOptions } from '$lib/comfy/http';
import { randomId } from '$lib/comfy/ids';
import type { ComfyTransport, ConnectionState, ConnectionStatus, EventStream } from '$lib/comfy/transport';
import type { NodeErrors, NodeOutput, OutputFile, QueuePromptResponse, UploadResult } from '$lib/comfy/types';
import { fileKey } from './merge';
import { poolApi, type PoolCore } from './pool-api';
import { Rig, type RigMember, type RigState } from './rig';
import { chooseRig, ENGLISH_ROUTING_WORDS, type Lack, type RoutingWords } from './routing';
import { PoolUploads } from './uploads';

export type { RigMember, RigState } from './rig';

export interface PoolOptions {
	rigs: RigMember[];
	/** Rig ids that take no new jobs (their running and queued jobs go on). */
	paused?: string[];
	now?: () => number;
	/** How long a rig's socket may stay away before it counts as down (default 10 s). */
	downAfterMs?: number;
	/** How refusals are worded (default English). */
	words?: RoutingWords;
}

/** `text` is English; the app words the notice from its fields (app/pools/pool-text.ts). */
export interface PoolNotice {
	kind: 'moved' | 'lost';
	text: string;
	promptIds: string[];
	/** The rig that stopped answering. */
	from: string;
	/** Where the moved runs went. */
	to?: string;
}

/** A prompt this pool sent: enough to send it again elsewhere, once. */
interface Posted {
	input: QueuePromptInput;
	moved: boolean;
}

type Listener<T> = (value: T) => void;

export const DOWN_AFTER_MS = 10_000;

export class PoolTransport implements ComfyTransport, PoolCore {
	readonly kind = 'pool' as const;
	readonly api: ComfyApi;
	readonly events: EventStream;
	readonly #rigs: Rig[];
	readonly #now: () => number;
	readonly #words: RoutingWords;
	readonly #holder = new Map<string, Rig>();
	readonly #posted = new Map<string, Posted>();
	readonly #files = new Map<string, Rig>();
	readonly #uploads = new PoolUploads();
	readonly #listeners = new Set<Listener<ComfyEvent>>();
	readonly #rigListeners = new Set<Listener<RigState[]>>();
	readonly #noticeListeners = new Set<Listener<PoolNotice>>();
	#wanted = false;
	#state: ConnectionState = { status: 'idle', lastEventAt: null, attempt: 0 };

	constructor(opts: PoolOptions) {
		if (opts.rigs.length === 0) throw new Error('A pool needs at least one rig.');
		this.#now = opts.now ?? Date.now;
		this.#words = opts.words ?? ENGLISH_ROUTING_WORDS;
		const hooks = {
			event: (rig: Rig, event: ComfyEvent) => this.#onRigEvent(rig, event),
			changed: () => this.#rigsChanged(),
			wentDown: (rig: Rig) => void this.#failOver(rig),
			cameBack: (rig: Rig, wasDown: boolean) => this.#cameBack(rig, wasDown),
			now: this.#now,
			downAfterMs: opts.downAfterMs ?? DOWN_AFTER_MS
		};
		this.#rigs = opts.rigs.map((member) => new Rig(member, hooks));
		for (const rig of this.#rigs) rig.paused = opts.paused?.includes(rig.id) ?? false;
		this.api = poolApi(this);
		this.events = this.#makeEvents();
	}

	/** The first reachable rig's client id; each prompt is posted with its own rig's. */
	get clientId(): string {
		return this.reachable()[0].transport.clientId;
	}

	rigs(): RigState[] {
		return this.#rigs.map((rig) => rig.state());
	}

	onRigsChange(fn: Listener<RigState[]>): () => void {
		this.#rigListeners.add(fn);
		return () => this.#rigListeners.delete(fn);
	}

	onNotice(fn: Listener<PoolNotice>): () => void {
		this.#noticeListeners.add(fn);
		return () => this.#noticeListeners.delete(fn);
	}

	/** The id of the rig that holds a prompt, if known. */
	rigOf(promptId: string): string | null {
		return this.#holder.get(promptId)?.id ?? null;
	}

	setPaused(rigId: string, paused: boolean): void {
		const rig = this.#rigs.find((r) => r.id === rigId);
		if (!rig || rig.paused === paused) return;
		rig.paused = paused;
		this.#rigsChanged();
		this.#updateState();
	}

	close(): void {
		this.events.close();
	}

	// ---- PoolCore (what pool-api.ts calls) ----------------------------------------------------------------------

	reachable(): Rig[] {
		const live = this.#rigs.filter((rig) => !rig.down && rig.connection === 'live');
		return live.length > 0 ? live : this.#rigs;
	}

	holderOf(promptId: string): Rig | null {
		return this.#holder.get(promptId) ?? null;
	}

	noteHolder(promptId: string, rig: Rig, outputs?: Record<string, NodeOutput>): void {
		// A prompt moved away from a rig stays with the rig it moved to, whatever the old one still lists.
		if (!this.#posted.has(promptId) || !this.#holder.has(promptId)) this.#holder.set(promptId, rig);
		if (outputs && this.#holder.get(promptId) === rig) this.#noteFiles(rig, outputs);
	}

	rigOfFile(file: OutputFile): Rig | null {
		return this.#files.get(fileKey(file)) ?? null;
	}

	async upload(blob: Blob, filename: string, opts?: UploadOptions): Promise<UploadResult> {
		const rig = this.reachable()[0];
		return this.#uploads.upload(rig.id, rig.transport.api, blob, filename, opts);
	}

	async submit(input: QueuePromptInput): Promise<QueuePromptResponse> {
		const promptId = input.promptId ?? randomId();
		const tried = new Set<Rig>();
		for (;;) {
			const rig = this.#choose(input, tried);
			tried.add(rig);
			try {
				const response = await this.#post(rig, { ...input, promptId });
				this.#posted.set(promptId, { input: { ...input, promptId, signal: undefined }, moved: false });
				return response;
			} catch (err) {
				const error = toComfyError(err);
				// Refused by the server (validation): that is the answer. Not answering: the next rig that can run it.
				if (error.kind !== 'network' && error.kind !== 'timeout') throw error;
				if (this.#rigs.every((r) => tried.has(r) || r.down || r.paused)) throw error;
			}
		}
	}

	// ---- routing and failover -----------------------------------------------------------------------------------

	#choose(input: QueuePromptInput, exclude: ReadonlySet<Rig>): Rig {
		const views = this.#rigs.map((rig) => ({ ...rig.view(), down: rig.down || exclude.has(rig) || rig.connection !== 'live' }));
		const choice = chooseRig(input.prompt, views, this.#uploads.values());
		if (choice.ok) return this.#rigs.find((r) => r.id === choice.rigId)!;
		const words = this.#words;
		const reason = words.reason(choice.why);
		if (choice.away) throw new ComfyError('network', reason);
		throw new ComfyError('rejected', reason, {
			status: 400,
			error: { type: 'pool_no_rig', message: reason, details: '', extra_info: {} },
			nodeErrors: nodeErrorsOf(choice.missing, words)
		});
	}

	/** Posts to one rig: its pictures first, its client id, the prompt's own id. */
	async #post(rig: Rig, input: QueuePromptInput & { promptId: string }): Promise<QueuePromptResponse> {
		const prompt = await this.#uploads.placeOn(rig.id, rig.transport.api, input.prompt);
		this.#holder.set(input.promptId, rig);
		rig.ours.add(input.promptId);
		this.#rigsChanged();
		try {
			return await rig.transport.api.queuePrompt({ ...input, prompt, clientId: rig.transport.clientId });
		} catch (err) {
			const error = toComfyError(err);
			// An unanswered POST may still have queued it: keep following it there unless it goes elsewhere.
			if (error.kind !== 'network' && error.kind !== 'timeout') {
				rig.release(input.promptId);
				this.#holder.delete(input.promptId);
				this.#rigsChanged();
			}
			throw error;
		}
	}

	/** A rig stayed away: its waiting jobs move once to a rig that can run them; its running job is lost. */
	async #failOver(rig: Rig): Promise<void> {
		const held = [...rig.ours].filter((id) => this.#holder.get(id) === rig);
		const moved = new Map<Rig, string[]>();
		const lost: string[] = [];
		for (const promptId of held) {
			const posted = this.#posted.get(promptId);
			const started = rig.started(promptId);
			if (started || !posted || posted.moved) {
				rig.release(promptId);
				lost.push(promptId);
				this.#emitLost(promptId, rig, started || !posted ? 'running' : 'moved-before');
				continue;
			}
			posted.moved = true;
			rig.release(promptId);
			try {
				const target = this.#choose(posted.input, new Set([rig]));
				await this.#post(target, { ...posted.input, promptId });
				moved.set(target, [...(moved.get(target) ?? []), promptId]);
			} catch (err) {
				lost.push(promptId);
				this.#emitLost(promptId, rig, 'nowhere', toComfyError(err).message);
			}
		}
		for (const [target, ids] of moved) {
			this.#notice({
				kind: 'moved',
				promptIds: ids,
				from: rig.name,
				to: target.name,
				text: `${ids.length === 1 ? '1 waiting run' : `${ids.length} waiting runs`} moved from ${rig.name} to ${target.name}: ${rig.name} stopped answering.`
			});
		}
		if (lost.length > 0) {
			this.#notice({ kind: 'lost', promptIds: lost, from: rig.name, text: `${rig.name} stopped answering: ${lost.length === 1 ? '1 run was' : `${lost.length} runs were`} lost (not retried).` });
		}
		this.#rigsChanged();
	}

	/** The job's end as the tracker understands it: a failure with the reason, as if the server had said so. */
	#emitLost(promptId: string, rig: Rig, why: 'running' | 'moved-before' | 'nowhere', detail?: string): void {
		const message =
			why === 'running'
				? `${rig.name} went down while running this job; it is not retried.`
				: why === 'moved-before'
					? `${rig.name} went down; this job had already been moved once, so it is not moved again.`
					: `${rig.name} went down before this job started, and no other rig could take it: ${detail ?? ''}`.trim();
		this.#emit({
			type: 'message',
			message: {
				type: 'execution_error',
				data: { prompt_id: promptId, node_id: '', node_type: '', exception_message: message, exception_type: 'RigDown', traceback: [], timestamp: this.#now() }
			}
		});
	}

	/** Back after a gap: jobs that moved away are taken out of its queue (best effort), the tracker reconciles. */
	#cameBack(rig: Rig, wasDown: boolean): void {
		const movedAway = [...this.#posted.keys()].filter((id) => this.#posted.get(id)!.moved && this.#holder.get(id) !== rig);
		if (wasDown && movedAway.length > 0) void rig.transport.api.deleteQueued(movedAway).catch(() => undefined);
		// Events for its jobs may have been missed while it was away: a gap makes the tracker ask again.
		if (this.#state.status === 'live' && [...rig.ours].some((id) => this.#holder.get(id) === rig)) {
			this.#emit({ type: 'connection', state: { ...this.#state, status: 'reconnecting' } });
			this.#emit({ type: 'connection', state: this.#state });
		}
	}

	// ---- events ---------------------------------------------------------------------------------------------------

	#onRigEvent(rig: Rig, event: ComfyEvent): void {
		if (event.type === 'connection') return this.#updateState();
		this.#state = { ...this.#state, lastEventAt: this.#now() };
		if (event.type === 'message') {
			const message = event.message;
			if (message.type === 'status') {
				const total = this.#rigs.reduce((n, r) => n + (r.down ? 0 : r.queueRemaining), 0);
				return this.#emit({ type: 'message', message: { type: 'status', data: { status: { exec_info: { queue_remaining: total } } } } });
			}
			const promptId = (message.data as { prompt_id?: string }).prompt_id;
			// A prompt that moved elsewhere: what its old rig still says about it is not its story any more.
			if (promptId && this.#holder.has(promptId) && this.#holder.get(promptId) !== rig) return;
			if (promptId && !this.#holder.has(promptId)) this.#holder.set(promptId, rig);
			if (message.type === 'executed' && message.data.output) this.#noteFiles(rig, { [message.data.node]: message.data.output });
			if (message.type === 'execution_start' || message.type === 'execution_success' || message.type === 'execution_error' || message.type === 'execution_interrupted') this.#rigsChanged();
		}
		if (event.type === 'preview' && event.promptId && this.#holder.has(event.promptId) && this.#holder.get(event.promptId) !== rig) return;
		this.#emit(event);
	}

	#noteFiles(rig: Rig, outputs: Record<string, NodeOutput>): void {
		for (const output of Object.values(outputs)) {
			for (const files of Object.values(output ?? {})) {
				if (!Array.isArray(files)) continue;
				for (const file of files) if (file && typeof file === 'object' && typeof (file as OutputFile).filename === 'string') this.#files.set(fileKey(file as OutputFile), rig);
			}
		}
	}

	/** The pool is live while any rig taking jobs is (paused rigs count only when every rig is paused). */
	#updateState(): void {
		if (!this.#wanted) return;
		const active = this.#rigs.filter((r) => !r.paused);
		const statuses = (active.length > 0 ? active : this.#rigs).map((r) => r.connection);
		const status: ConnectionStatus = statuses.includes('live')
			? 'live'
			: statuses.some((s) => s === 'connecting' || s === 'reconnecting')
				? this.#state.status === 'live' || this.#state.status === 'reconnecting'
					? 'reconnecting'
					: 'connecting'
				: 'offline';
		const errors = this.#rigs.filter((r) => r.connection !== 'live').map((r) => r.transport.events.state.error && `${r.name}: ${r.transport.events.state.error}`);
		const error = status === 'live' ? undefined : errors.filter(Boolean).join('; ') || undefined;
		if (status === this.#state.status && error === this.#state.error) return;
		this.#state = { status, lastEventAt: this.#state.lastEventAt, attempt: status === 'live' ? 0 : this.#state.attempt + 1, ...(error ? { error } : {}) };
		this.#emit({ type: 'connection', state: this.#state });
	}

	#makeEvents(): EventStream {
		// eslint-disable-next-line @typescript-eslint/no-this-alias -- the getter below needs the pool, not the object
		const pool = this;
		return {
			connect: () => {
				if (this.#wanted) return;
				this.#wanted = true;
				this.#state = { status: 'connecting', lastEventAt: null, attempt: 0 };
				this.#emit({ type: 'connection', state: this.#state });
				for (const rig of this.#rigs) rig.connect();
				this.#updateState();
			},
			close: () => {
				this.#wanted = false;
				for (const rig of this.#rigs) rig.close();
				this.#state = { status: 'idle', lastEventAt: this.#state.lastEventAt, attempt: 0 };
			},
			subscribe: (fn) => {
				this.#listeners.add(fn);
				return () => this.#listeners.delete(fn);
			},
			get state() {
				return pool.#state;
			},
			retryNow: () => {
				for (const rig of this.#rigs) if (rig.connection !== 'live') rig.transport.events.retryNow();
			}
		};
	}

	#rigsChanged(): void {
		const states = this.rigs();
		for (const fn of this.#rigListeners) safely(() => fn(states));
	}

	#notice(notice: PoolNotice): void {
		for (const fn of this.#noticeListeners) safely(() => fn(notice));
	}

	#emit(event: ComfyEvent): void {
		for (const fn of this.#listeners) safely(() => fn(event));
	}
}

function safely(fn: () => void): void {
	try {
		fn();
	} catch {
		// A listener's failure is its own.
	}
}

/** What no rig has, on the fields it concerns, in ComfyUI's own node_errors shape (the form maps them). */
function nodeErrorsOf(missing: readonly Lack[], words: RoutingWords): NodeErrors {
	const errors: NodeErrors = {};
	for (const lack of missing) {
		if (lack.kind !== 'value') continue;
		const entry = (errors[lack.nodeId] ??= { errors: [], dependent_outputs: [], class_type: lack.classType });
		const message = words.lackOnField(lack);
		entry.errors.push({ type: 'value_not_in_list', message, details: `${lack.input}: '${lack.value}' not on any rig`, extra_info: { input_name: lack.input } });
	}
	return errors;
}

export function createPoolTransport(opts: PoolOptions): PoolTransport {
	return new PoolTransport(opts);
}
