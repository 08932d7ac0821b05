// The direct ComfyUI WebSocket (`/ws?clientId=…`) as an EventStream: feature_flags first, `status` as the live
// signal, reconnect with exponential backoff and jitter, and a keepalive that also notices a stalled socket.
import { eventFromWire, type ComfyEvent, type ConnectionState, type EventStream } from './events';
import { closedBefore, closeSocket } from './closing';
import { Listeners } from './listeners';

export interface ComfySocketOptions {
	/** http(s) base URL of the server; the ws(s) URL is derived from it. */
	url: string;
	clientId: string;
	WebSocketImpl?: typeof WebSocket;
	backoff?: { minMs: number; maxMs: number };
	/** Interval of the keepalive message (proxies and tunnels drop idle sockets). 0 disables it. */
	keepaliveMs?: number;
	/** Failed attempts in a row after which the state says `offline` (it keeps retrying at the max delay). */
	offlineAfter?: number;
	/** An attempt that has not heard the server's `status` by then is abandoned and retried. 0 disables it. */
	connectTimeoutMs?: number;
	now?: () => number;
	random?: () => number;
}

// The server reads only the first client message, and only if it is feature_flags; later JSON is ignored,
// which is what makes the keepalive message harmless.
const FEATURE_FLAGS = JSON.stringify({ type: 'feature_flags', data: { supports_preview_metadata: true } });
const KEEPALIVE = JSON.stringify({ type: 'keepalive' });
const DEFAULT_BACKOFF = { minMs: 300, maxMs: 15_000 };
const DEFAULT_KEEPALIVE_MS = 25_000;
const DEFAULT_OFFLINE_AFTER = 4;
// Phones on a foreign network can hang in the TCP handshake for minutes; better to retry and say so.
const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
const NORMAL_CLOSURE = 1000;

export function socketUrl(baseUrl: string, clientId: string): string {
	const url = new URL(baseUrl.replace(/\/+$/, '') + '/ws');
	url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
	url.searchParams.set('clientId', clientId);
	return url.toString();
}

export class ComfySocket implements EventStream {
	readonly clientId: string;
	readonly #url: string;
	readonly #WebSocketImpl: typeof WebSocket;
	readonly #backoff: { minMs: number; maxMs: number };
	readonly #keepaliveMs: number;
	readonly #offlineAfter: number;
	readonly #connectTimeoutMs: number;
	readonly #now: () => number;
	readonly #random: () => number;
	readonly #listeners = new Listeners<ComfyEvent>();
	#ws: WebSocket | null = null;
	#state: ConnectionState = { status: 'idle', lastEventAt: null, attempt: 0 };
	#retryTimer: ReturnType<typeof setTimeout> | null = null;
	#keepaliveTimer: ReturnType<typeof setInterval> | null = null;
	#connectTimer: ReturnType<typeof setTimeout> | null = null;
	#bufferedAtLastTick = 0;
	/** Bumped by close(), so an open that was waiting for an old socket to close is cancelled. */
	#generation = 0;
	#waitingForOldSocket = false;

	constructor(opts: ComfySocketOptions) {
		this.clientId = opts.clientId;
		this.#url = socketUrl(opts.url, opts.clientId);
		this.#WebSocketImpl = opts.WebSocketImpl ?? globalThis.WebSocket;
		this.#backoff = opts.backoff ?? DEFAULT_BACKOFF;
		this.#keepaliveMs = opts.keepaliveMs ?? DEFAULT_KEEPALIVE_MS;
		this.#offlineAfter = opts.offlineAfter ?? DEFAULT_OFFLINE_AFTER;
		this.#connectTimeoutMs = opts.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
		this.#now = opts.now ?? Date.now;
		this.#random = opts.random ?? Math.random;
	}

	get state(): ConnectionState {
		return { ...this.#state };
	}

	get url(): string {
		return this.#url;
	}

	subscribe(fn: (e: ComfyEvent) => void): () => void {
		return this.#listeners.add(fn);
	}

	connect(): void {
		if (this.#ws || this.#retryTimer || this.#waitingForOldSocket) return;
		this.#setState({ status: 'connecting', attempt: 0, error: undefined });
		this.#open();
	}

	/** Skips the current backoff wait, e.g. when the page becomes visible again or the network comes back. */
	retryNow(): void {
		if (!this.#retryTimer) return;
		clearTimeout(this.#retryTimer);
		this.#retryTimer = null;
		this.#open();
	}

	close(): void {
		this.#clearTimers();
		this.#generation++;
		this.#waitingForOldSocket = false;
		const ws = this.#ws;
		this.#ws = null;
		if (ws) {
			detach(ws);
			closeSocket(this.#url, ws, NORMAL_CLOSURE);
		}
		if (this.#state.status !== 'idle') this.#setState({ status: 'idle', attempt: 0, error: undefined });
	}

	#open(): void {
		const previous = closedBefore(this.#url);
		if (!previous) return this.#openNow();
		const generation = this.#generation;
		this.#waitingForOldSocket = true;
		void previous.then(() => {
			if (generation !== this.#generation) return;
			this.#waitingForOldSocket = false;
			this.#open();
		});
	}

	#openNow(): void {
		let ws: WebSocket;
		try {
			ws = new this.#WebSocketImpl(this.#url);
		} catch (error) {
			this.#scheduleRetry(error instanceof Error ? error.message : String(error));
			return;
		}
		this.#ws = ws;
		ws.binaryType = 'arraybuffer';
		if (this.#connectTimeoutMs > 0) {
			this.#connectTimer = setTimeout(() => this.#abandon(ws, `no answer within ${this.#connectTimeoutMs} ms`), this.#connectTimeoutMs);
		}
		ws.onopen = () => {
			ws.send(FEATURE_FLAGS);
			this.#startKeepalive(ws);
		};
		ws.onmessage = (e: MessageEvent) => this.#receive(e.data);
		ws.onerror = ignore;
		ws.onclose = (e: CloseEvent) => this.#abandon(ws, e.reason || `closed (${e.code})`);
	}

	#receive(data: unknown): void {
		if (typeof data !== 'string' && !(data instanceof ArrayBuffer) && !(data instanceof Uint8Array)) return;
		this.#state.lastEventAt = this.#now();
		const event = eventFromWire(data);
		if (!event) return;
		if (event.type === 'message' && event.message.type === 'status' && this.#state.status !== 'live') {
			this.#clearConnectTimer();
			this.#setState({ status: 'live', attempt: 0, error: sidMismatch(event.message.data.sid, this.clientId) });
		}
		this.#listeners.emit(event);
	}

	#scheduleRetry(error: string): void {
		const attempt = this.#state.attempt + 1;
		const status = attempt > this.#offlineAfter ? 'offline' : 'reconnecting';
		this.#setState({ status, attempt, error });
		this.#retryTimer = setTimeout(() => {
			this.#retryTimer = null;
			this.#open();
		}, this.#delay(attempt));
	}

	/** Exponential backoff with "equal jitter": half fixed, half random, so many phones do not retry in step. */
	#delay(attempt: number): number {
		const { minMs, maxMs } = this.#backoff;
		const ceiling = Math.min(maxMs, minMs * 2 ** (attempt - 1));
		return Math.round(ceiling / 2 + (ceiling / 2) * this.#random());
	}

	// Browsers cannot send ping frames; a small ignored message keeps proxies from timing the socket out. If the
	// previous keepalive has still not left the send buffer, the connection is dead without having said so.
	#startKeepalive(ws: WebSocket): void {
		if (this.#keepaliveMs <= 0) return;
		this.#bufferedAtLastTick = 0;
		this.#keepaliveTimer = setInterval(() => {
			if (this.#bufferedAtLastTick > 0 && ws.bufferedAmount >= this.#bufferedAtLastTick) {
				this.#abandon(ws, 'connection stalled');
				return;
			}
			this.#bufferedAtLastTick = ws.bufferedAmount;
			try {
				ws.send(KEEPALIVE);
			} catch {
				this.#abandon(ws, 'connection stalled');
			}
		}, this.#keepaliveMs);
	}

	/** Drops this socket (if it is still ours) and schedules the next attempt. */
	#abandon(ws: WebSocket, reason: string): void {
		if (this.#ws !== ws) return;
		this.#ws = null;
		detach(ws);
		closeSocket(this.#url, ws);
		this.#stopKeepalive();
		this.#clearConnectTimer();
		this.#scheduleRetry(reason);
	}

	#clearConnectTimer(): void {
		if (this.#connectTimer) clearTimeout(this.#connectTimer);
		this.#connectTimer = null;
	}

	#stopKeepalive(): void {
		if (this.#keepaliveTimer) clearInterval(this.#keepaliveTimer);
		this.#keepaliveTimer = null;
	}

	#clearTimers(): void {
		this.#stopKeepalive();
		this.#clearConnectTimer();
		if (this.#retryTimer) clearTimeout(this.#retryTimer);
		this.#retryTimer = null;
	}

	#setState(patch: Partial<ConnectionState>): void {
		this.#state = { ...this.#state, ...patch };
		if (this.#state.error === undefined) delete this.#state.error;
		this.#listeners.emit({ type: 'connection', state: this.state });
	}
}

// Execution events go to the socket registered under the prompt's client_id. If something between us and the
// server (a proxy rewriting the query) made the server pick another id, the socket works but hears nothing.
function sidMismatch(sid: string | undefined, clientId: string): string | undefined {
	if (sid === undefined || sid === clientId) return undefined;
	return `The server registered this connection as "${sid}" instead of "${clientId}", so live progress will not arrive (does a proxy drop ?clientId=?).`;
}

// The error handler stays a no-op rather than null: closing a socket that is still connecting makes it report an
// error, and Node's `ws` throws errors that have no listener.
function detach(ws: WebSocket): void {
	ws.onopen = null;
	ws.onmessage = null;
	ws.onclose = null;
	ws.onerror = ignore;
}

function ignore(): void {}
