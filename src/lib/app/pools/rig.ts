// One rig of a pool: its member transport and what the pool observes of it — connection, queue length, the prompt
// it is executing, how long its jobs take, its node definitions and GPU. Events from its socket are passed on with
// the prompt id filled in where the server left it out (legacy previews, the replayed `executing`), so that merged
// with other rigs' events no job is given another rig's preview or progress.
import type { ComfyEvent } from '$lib/comfy/events';
import type { ComfyTransport, ConnectionStatus } from '$lib/comfy/transport';
import type { ComfyMessage } from '$lib/comfy/messages';
import type { ObjectInfo } from '$lib/comfy/types';
import type { RigView } from './routing';

export interface RigMember {
	id: string;
	name: string;
	transport: ComfyTransport;
}

/** What screens show of a rig. */
export interface RigState {
	id: string;
	name: string;
	/** live: connected and idle; busy: jobs waiting or running; down: not answering for a while. */
	status: 'connecting' | 'live' | 'busy' | 'down';
	connection: ConnectionStatus;
	/** Jobs waiting or running there (the server's count, or the pool's own jobs there if more). */
	queue: number;
	paused: boolean;
	gpu?: string;
	msPerJob: number | null;
}

export interface RigHooks {
	/** A normalised event from this rig. */
	event(rig: Rig, event: ComfyEvent): void;
	/** Something screens show changed (status, queue, GPU, speed). */
	changed(rig: Rig): void;
	/** The rig has not been live for `downAfterMs`. */
	wentDown(rig: Rig): void;
	/** The rig is live again after having been down or away. */
	cameBack(rig: Rig, wasDown: boolean): void;
	now(): number;
	downAfterMs: number;
}

/** Weight of the newest job in the moving average of job time. */
const SPEED_WEIGHT = 0.4;

export class Rig {
	readonly id: string;
	readonly name: string;
	readonly transport: ComfyTransport;
	paused = false;
	connection: ConnectionStatus = 'idle';
	everLive = false;
	down = false;
	queueRemaining = 0;
	/** Prompts this pool placed here and has not seen end. */
	readonly ours = new Set<string>();
	objectInfo: ObjectInfo | null = null;
	gpu: string | undefined;
	msPerJob: number | null = null;
	/** The prompt executing here now, from execution_start / executing. */
	running: string | null = null;
	readonly #startedAt = new Map<string, number>();
	readonly #hooks: RigHooks;
	#off: (() => void) | null = null;
	#downTimer: ReturnType<typeof setTimeout> | null = null;

	constructor(member: RigMember, hooks: RigHooks) {
		this.id = member.id;
		this.name = member.name;
		this.transport = member.transport;
		this.#hooks = hooks;
	}

	get load(): number {
		return Math.max(this.queueRemaining, this.ours.size);
	}

	/** Whether this rig started `promptId` (seen running or past it). */
	started(promptId: string): boolean {
		return this.#startedAt.has(promptId) || this.running === promptId;
	}

	view(): RigView {
		return { id: this.id, name: this.name, objectInfo: this.objectInfo, paused: this.paused, down: this.down, load: this.load, msPerJob: this.msPerJob };
	}

	state(): RigState {
		const status = this.down ? 'down' : !this.everLive ? 'connecting' : this.connection !== 'live' ? 'down' : this.load > 0 ? 'busy' : 'live';
		const state: RigState = { id: this.id, name: this.name, status, connection: this.connection, queue: this.load, paused: this.paused, msPerJob: this.msPerJob };
		if (this.gpu) state.gpu = this.gpu;
		return state;
	}

	connect(): void {
		if (this.#off) return;
		this.#off = this.transport.events.subscribe((event) => this.#on(event));
		this.#setConnection(this.transport.events.state.status);
		this.transport.events.connect();
	}

	close(): void {
		this.#off?.();
		this.#off = null;
		this.#clearDownTimer();
		this.transport.events.close();
	}

	/** Reads what routing needs once the rig is live: node definitions, and the GPU for the screens. */
	async learn(refresh = false): Promise<void> {
		const [info, stats] = await Promise.allSettled([this.transport.api.getObjectInfo({ refresh }), refresh ? Promise.reject(new Error('kept')) : this.transport.api.systemStats()]);
		if (info.status === 'fulfilled') this.objectInfo = info.value;
		if (stats.status === 'fulfilled') this.gpu = stats.value.devices?.[0]?.name ?? this.gpu;
		this.#hooks.changed(this);
	}

	/** The pool stops following a prompt here (it ended, or moved away). */
	release(promptId: string): void {
		this.ours.delete(promptId);
		this.#startedAt.delete(promptId);
		if (this.running === promptId) this.running = null;
	}

	#on(event: ComfyEvent): void {
		if (event.type === 'connection') {
			this.#setConnection(event.state.status);
			this.#hooks.event(this, event);
			return;
		}
		if (event.type === 'preview') {
			this.#hooks.event(this, event.promptId || !this.running ? event : { ...event, promptId: this.running });
			return;
		}
		if (event.type === 'message') {
			const message = this.#observe(event.message);
			this.#hooks.event(this, message === event.message ? event : { type: 'message', message });
			return;
		}
		this.#hooks.event(this, event);
	}

	/** Notes what the message says about this rig; returns it with the prompt id filled in where it was left out. */
	#observe(message: ComfyMessage): ComfyMessage {
		const now = this.#hooks.now();
		switch (message.type) {
			case 'status':
				this.queueRemaining = message.data.status.exec_info.queue_remaining;
				if (this.queueRemaining === 0) this.running = null;
				this.#hooks.changed(this);
				return message;
			case 'execution_start':
				this.running = message.data.prompt_id;
				this.#startedAt.set(message.data.prompt_id, now);
				return message;
			case 'executing':
				if (message.data.node === null) {
					if (message.data.prompt_id && this.running === message.data.prompt_id) this.running = null;
					return message;
				}
				if (message.data.prompt_id) {
					this.running = message.data.prompt_id;
					if (!this.#startedAt.has(message.data.prompt_id)) this.#startedAt.set(message.data.prompt_id, now);
					return message;
				}
				return this.running ? { ...message, data: { ...message.data, prompt_id: this.running } } : message;
			case 'progress':
				return message.data.prompt_id || !this.running ? message : { ...message, data: { ...message.data, prompt_id: this.running } };
			case 'execution_success': {
				const started = this.#startedAt.get(message.data.prompt_id);
				if (started !== undefined) {
					const took = now - started;
					this.msPerJob = this.msPerJob === null ? took : this.msPerJob * (1 - SPEED_WEIGHT) + took * SPEED_WEIGHT;
				}
				this.#ended(message.data.prompt_id);
				return message;
			}
			case 'execution_error':
			case 'execution_interrupted':
				this.#ended(message.data.prompt_id);
				return message;
			default:
				return message;
		}
	}

	#ended(promptId: string): void {
		this.release(promptId);
		this.#hooks.changed(this);
	}

	#setConnection(status: ConnectionStatus): void {
		const before = this.connection;
		this.connection = status;
		if (status === 'live') {
			this.#clearDownTimer();
			const wasDown = this.down;
			const wasAway = this.everLive && before !== 'live';
			this.down = false;
			const first = !this.everLive;
			this.everLive = true;
			if (first || wasDown) void this.learn();
			if (wasDown || wasAway) this.#hooks.cameBack(this, wasDown);
		} else if (status !== 'idle' && !this.down && !this.#downTimer) {
			this.#downTimer = setTimeout(() => this.markDown(), this.#hooks.downAfterMs);
		}
		if (before !== status) this.#hooks.changed(this);
	}

	/** Its socket stayed away for `downAfterMs` (a failed request alone does not make a live rig down). */
	markDown(): void {
		this.#clearDownTimer();
		if (this.down || this.connection === 'live') return;
		this.down = true;
		this.queueRemaining = 0;
		this.running = null;
		this.#hooks.changed(this);
		this.#hooks.wentDown(this);
	}

	#clearDownTimer(): void {
		if (this.#downTimer) clearTimeout(this.#downTimer);
		this.#downTimer = null;
	}
}
