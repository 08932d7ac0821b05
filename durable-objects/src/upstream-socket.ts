// The relay's single WebSocket to ComfyUI. ComfyUI keys its socket registry by clientId and, when a socket
// closes, unregisters whatever is registered under that id — so a replacement opened before the old socket has
// fully closed would be silently deafened. This class therefore never has two sockets: a new one is opened only
// once the previous one has reported its close.
import { parseMessage, type ComfyMessage } from '../../src/lib/comfy/messages';
import type { UpstreamState } from '../../src/lib/relay/protocol';
import type { UpstreamConfig } from './upstream-http';
import { accessFailure, UNREACHABLE_MESSAGE, upstreamUrl } from './upstream-http';

export interface UpstreamEvents {
	/** `message` is null for message types the protocol layer does not know (still forwarded). */
	onText(text: string, message: ComfyMessage | null): void;
	onBinary(frame: ArrayBuffer): void;
	/** After ComfyUI's handshake `status`: events for our clientId flow from here on. */
	onLive(): void;
	onState(state: UpstreamState): void;
}

export interface UpstreamOptions {
	config: UpstreamConfig;
	clientId: string;
	events: UpstreamEvents;
	backoff?: { minMs: number; maxMs: number };
	handshakeTimeoutMs?: number;
	now?: () => number;
}

/**
 * A close handshake that gets no answer (a half-dead network) would otherwise block reconnection forever. Past this,
 * the socket is abandoned; should ComfyUI later unregister our id because of it, the status watchdog notices.
 */
const CLOSE_TIMEOUT_MS = 3_000;

/** Previews as type-4 frames carry their prompt and node, which the phones need to attribute them. */
const FEATURE_FLAGS = JSON.stringify({ type: 'feature_flags', data: { supports_preview_metadata: true } });

export class UpstreamSocket {
	#socket: WebSocket | null = null;
	/** True while the upgrade request is in flight: a socket may be about to exist. */
	#opening = false;
	#wanted = false;
	#timer: ReturnType<typeof setTimeout> | null = null;
	/** Runs the close handling of the current socket, for when its close never completes. */
	#forget: (() => void) | null = null;
	#state: UpstreamState;
	readonly #waiters = new Set<(live: boolean) => void>();
	readonly #backoff: { minMs: number; maxMs: number };
	readonly #now: () => number;

	constructor(private readonly opts: UpstreamOptions) {
		this.#backoff = opts.backoff ?? { minMs: 500, maxMs: 60_000 };
		this.#now = opts.now ?? Date.now;
		this.#state = { status: 'idle', since: this.#now(), attempt: 0 };
	}

	get state(): UpstreamState {
		return this.#state;
	}

	get live(): boolean {
		return this.#state.status === 'live';
	}

	/** Whether the relay needs ComfyUI's events now (phones connected or jobs active). Idempotent. */
	want(wanted: boolean): void {
		this.#wanted = wanted;
		if (wanted && this.#socket === null && this.#timer === null) {
			// An upgrade still in flight from before a brief idle period will deliver the socket: do not open another.
			if (this.#opening) this.#setState({ status: 'connecting' });
			else void this.#open();
		}
		if (!wanted) {
			this.#clearTimer();
			this.#close(1000, 'relay idle');
			if (this.#socket === null) this.#setState({ status: 'idle', attempt: 0 });
		}
	}

	/** Resolves true once live, false after `timeoutMs` (callers then rely on reconciliation). */
	whenLive(timeoutMs: number): Promise<boolean> {
		if (this.live) return Promise.resolve(true);
		return new Promise((resolve) => {
			const done = (live: boolean) => {
				clearTimeout(timer);
				this.#waiters.delete(done);
				resolve(live);
			};
			const timer = setTimeout(() => done(false), timeoutMs);
			this.#waiters.add(done);
		});
	}

	/** Drops the socket as if the network had failed; the usual close handling then reconnects. */
	recycle(reason: string): void {
		this.#close(4000, reason.slice(0, 100));
	}

	#close(code: number, reason: string): void {
		const socket = this.#socket;
		if (!socket) return;
		try {
			socket.close(code, reason);
		} catch {
			// already closing
		}
		setTimeout(() => {
			if (this.#socket === socket) this.#forget?.();
		}, CLOSE_TIMEOUT_MS);
	}

	async #open(): Promise<void> {
		this.#setState({ status: 'connecting' });
		const { config, clientId } = this.opts;
		let res: Response;
		this.#opening = true;
		try {
			res = await fetch(upstreamUrl(config, `/api/ws?clientId=${encodeURIComponent(clientId)}`), {
				headers: { ...config.headers, Upgrade: 'websocket' },
				redirect: 'manual'
			});
		} catch {
			return this.#failed(UNREACHABLE_MESSAGE);
		} finally {
			this.#opening = false;
		}
		const socket = res.webSocket;
		if (!socket) {
			const failure = accessFailure(res);
			await res.body?.cancel();
			return this.#failed(failure?.message ?? `ComfyUI refused the WebSocket (HTTP ${res.status})`, failure !== null);
		}
		this.#attach(socket);
		if (!this.#wanted) this.#close(1000, 'relay idle');
	}

	#attach(socket: WebSocket): void {
		this.#socket = socket;
		socket.binaryType = 'arraybuffer';
		socket.accept();
		socket.send(FEATURE_FLAGS);
		const handshake = setTimeout(() => {
			if (this.#socket === socket && !this.live) this.#close(4000, 'no handshake');
		}, this.opts.handshakeTimeoutMs ?? 10_000);
		socket.addEventListener('message', (event) => {
			if (this.#socket !== socket) return;
			if (typeof event.data === 'string') {
				const message = parseMessage(event.data);
				if (!this.live && message?.type === 'status' && message.data.sid !== undefined) {
					clearTimeout(handshake);
					this.#setState({ status: 'live', attempt: 0 });
					this.opts.events.onLive();
					for (const waiter of [...this.#waiters]) waiter(true);
				}
				this.opts.events.onText(event.data, message);
			} else if (event.data instanceof ArrayBuffer) {
				this.opts.events.onBinary(event.data);
			}
		});
		const closed = () => {
			clearTimeout(handshake);
			if (this.#socket !== socket) return;
			this.#socket = null;
			this.#forget = null;
			if (this.#wanted) this.#failed('the connection to ComfyUI closed');
			else this.#setState({ status: 'idle', attempt: 0 });
		};
		this.#forget = closed;
		socket.addEventListener('close', closed);
		socket.addEventListener('error', closed);
	}

	#failed(error: string, unauthorized = false): void {
		if (!this.#wanted) return this.#setState({ status: 'idle', attempt: 0 });
		const attempt = this.#state.attempt + 1;
		this.#setState({ status: unauthorized ? 'unauthorized' : 'backoff', attempt, error });
		const ceiling = Math.min(this.#backoff.maxMs, this.#backoff.minMs * 2 ** Math.min(attempt - 1, 16));
		const delay = ceiling / 2 + Math.random() * (ceiling / 2);
		this.#timer = setTimeout(() => {
			this.#timer = null;
			if (this.#wanted && this.#socket === null) void this.#open();
		}, delay);
	}

	#clearTimer(): void {
		if (this.#timer !== null) clearTimeout(this.#timer);
		this.#timer = null;
	}

	#setState(next: Omit<UpstreamState, 'since' | 'attempt'> & { attempt?: number }): void {
		const state: UpstreamState = { status: next.status, since: this.#now(), attempt: next.attempt ?? this.#state.attempt };
		if (next.error) state.error = next.error;
		const changed = state.status !== this.#state.status || state.attempt !== this.#state.attempt;
		this.#state = state;
		if (changed) this.opts.events.onState(state);
	}
}
