// The phone's end of the relay socket, as an EventStream: it emits the same ComfyEvents as a direct ComfySocket.
// Each (re)connect first asks for a single-use ticket with the device token (browsers cannot set WebSocket headers,
// and a long-lived token in a URL would end up in logs), then resumes from the last sequence number it saw.
import { eventFromWire, type ComfyEvent } from '../comfy/events';
import { parseJsonLenient } from '../comfy/json';
import { Listeners } from '../comfy/listeners';
import { toMessage } from '../comfy/messages';
import type { ConnectionState, ConnectionStatus, EventStream } from '../comfy/transport';
import { AckBatcher, CLOSE_REVOKED, CLOSE_TOO_MANY_SOCKETS, PING, PONG, rigPrefix, toServerEnvelope, type RunInfo, type ServerEnvelope, type UpstreamState } from './protocol';
import { snapshotEvents } from './snapshot-events';

export interface RelaySocketOptions {
	/** The relay's origin, e.g. `https://pocket.example.com`. */
	origin: string;
	token: string;
	/** One of the relay's rigs (`/relay/rig/<name>/…`); absent for its default rig. */
	rig?: string;
	WebSocketImpl?: typeof WebSocket;
	fetch?: typeof fetch;
	backoff?: { minMs: number; maxMs: number };
	keepaliveMs?: number;
	offlineAfter?: number;
	now?: () => number;
	random?: () => number;
}

/** What the relay told this phone about itself. */
export interface RelayStatus {
	simulated: boolean;
	upstream: UpstreamState | null;
	epoch: string | null;
	seq: number;
}

const DEFAULT_BACKOFF = { minMs: 300, maxMs: 15_000 };
const TICKET_TIMEOUT_MS = 10_000;

/** The phone's connection status while its own socket to the relay is open, from the relay's upstream state. */
export function relayConnectionStatus(upstream: UpstreamState | null): { status: ConnectionStatus; error?: string } {
	switch (upstream?.status) {
		case undefined:
		case 'live':
			return { status: 'live' };
		case 'unauthorized':
			return { status: 'offline', error: upstream.error ?? 'ComfyUI refused the relay (check the Access service token).' };
		case 'backoff':
			return { status: 'reconnecting', error: `The relay is reconnecting to ComfyUI${upstream.error ? `: ${upstream.error}` : ''}` };
		case 'connecting':
		case 'idle':
			// `idle` here means the relay is about to connect: this phone just asked for it.
			return upstream.attempt > 0
				? { status: 'reconnecting', error: 'The relay is reconnecting to ComfyUI' }
				: { status: 'connecting', error: 'The relay is connecting to ComfyUI' };
	}
}

/** Thrown by the ticket step when the relay no longer accepts this phone: retrying cannot help. */
class NotPaired extends Error {}

export class RelaySocket implements EventStream {
	readonly #opts: RelaySocketOptions;
	readonly #listeners = new Listeners<ComfyEvent>();
	readonly #runListeners = new Listeners<RunInfo>();
	readonly #now: () => number;
	#ws: WebSocket | null = null;
	#wanted = false;
	#retryTimer: ReturnType<typeof setTimeout> | null = null;
	#keepaliveTimer: ReturnType<typeof setInterval> | null = null;
	#state: ConnectionState = { status: 'idle', lastEventAt: null, attempt: 0 };
	#relay: RelayStatus = { simulated: false, upstream: null, epoch: null, seq: 0 };
	#socketOpen = false;
	#acks: AckBatcher | null = null;
	/** Closed as this device's oldest socket: waits for retryNow() (the tab shown again) instead of a timer. */
	#parked = false;

	constructor(opts: RelaySocketOptions) {
		this.#opts = opts;
		this.#now = opts.now ?? Date.now;
	}

	get state(): ConnectionState {
		return { ...this.#state };
	}

	get relay(): RelayStatus {
		return { ...this.#relay };
	}

	subscribe(fn: (e: ComfyEvent) => void): () => void {
		return this.#listeners.add(fn);
	}

	/** Who queued or stopped each prompt (shared runs): from the snapshot first, then as the relay announces them. */
	subscribeRuns(fn: (run: RunInfo) => void): () => void {
		return this.#runListeners.add(fn);
	}

	connect(): void {
		if (this.#wanted) return;
		this.#wanted = true;
		this.#setState({ status: 'connecting', attempt: 0, error: undefined });
		void this.#open();
	}

	retryNow(): void {
		if (this.#parked) {
			// The user came back to this tab (or the network returned): taking the connection back is what they want.
			this.#parked = false;
			this.#setState({ status: 'connecting', attempt: 0, error: undefined });
			void this.#open();
			return;
		}
		if (!this.#retryTimer) return;
		clearTimeout(this.#retryTimer);
		this.#retryTimer = null;
		void this.#open();
	}

	close(): void {
		this.#wanted = false;
		this.#parked = false;
		if (this.#retryTimer) clearTimeout(this.#retryTimer);
		this.#retryTimer = null;
		this.#stopKeepalive();
		const ws = this.#ws;
		this.#ws = null;
		this.#socketOpen = false;
		this.#acks?.stop();
		if (ws) {
			ws.onmessage = ws.onclose = ws.onerror = ws.onopen = null;
			ws.close(1000);
		}
		if (this.#state.status !== 'idle') this.#setState({ status: 'idle', attempt: 0, error: undefined });
	}

	async #open(): Promise<void> {
		let url: string;
		try {
			url = await this.#socketUrl();
		} catch (error) {
			if (error instanceof NotPaired) return this.#giveUp(error.message);
			return this.#scheduleRetry(error instanceof Error ? error.message : String(error));
		}
		if (!this.#wanted) return;
		let ws: WebSocket;
		try {
			ws = new (this.#opts.WebSocketImpl ?? globalThis.WebSocket)(url);
		} catch (error) {
			return this.#scheduleRetry(error instanceof Error ? error.message : String(error));
		}
		this.#ws = ws;
		this.#acks?.stop();
		this.#acks = new AckBatcher((text) => {
			if (ws.readyState === 1) ws.send(text);
		});
		ws.binaryType = 'arraybuffer';
		ws.onopen = () => {
			this.#socketOpen = true;
			this.#startKeepalive(ws);
		};
		ws.onmessage = (e: MessageEvent) => this.#receive(e.data);
		ws.onerror = () => undefined;
		ws.onclose = (e: CloseEvent) => {
			if (this.#ws !== ws) return;
			this.#ws = null;
			this.#socketOpen = false;
			this.#stopKeepalive();
			this.#acks?.stop();
			if (e.code === CLOSE_REVOKED) return this.#giveUp('This phone was unpaired from the relay. Pair it again from Settings.');
			if (e.code === CLOSE_TOO_MANY_SOCKETS) return this.#park();
			this.#scheduleRetry(e.reason || `relay connection closed (${e.code})`);
		};
	}

	async #socketUrl(): Promise<string> {
		const base = `${this.#opts.origin.replace(/\/+$/, '')}${rigPrefix(this.#opts.rig)}`;
		const res = await (this.#opts.fetch ?? globalThis.fetch)(`${base}/ticket`, {
			method: 'POST',
			headers: { Authorization: `Bearer ${this.#opts.token}` },
			signal: AbortSignal.timeout(TICKET_TIMEOUT_MS)
		});
		if (res.status === 401) throw new NotPaired('The relay does not accept this phone any more (unpaired or revoked). Pair it again from Settings.');
		if (!res.ok) throw new Error(`The relay answered ${res.status} when asked for a connection ticket.`);
		const { ticket } = (await res.json()) as { ticket: string };
		const url = new URL(`${base}/ws`);
		url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
		url.searchParams.set('ticket', ticket);
		if (this.#relay.epoch !== null) {
			url.searchParams.set('since', String(this.#relay.seq));
			url.searchParams.set('epoch', this.#relay.epoch);
		}
		return url.toString();
	}

	#receive(data: unknown): void {
		this.#state.lastEventAt = this.#now();
		if (typeof data === 'string') {
			if (data === PONG) return;
			let value: unknown;
			try {
				value = parseJsonLenient(data);
			} catch {
				return;
			}
			const envelope = toServerEnvelope(value);
			if (envelope) this.#handleEnvelope(envelope);
			return;
		}
		if (!(data instanceof ArrayBuffer) && !(data instanceof Uint8Array)) return;
		this.#relay.seq++;
		this.#acks?.received(this.#relay.seq);
		const event = eventFromWire(data);
		if (event) this.#emit(event);
	}

	#handleEnvelope(envelope: ServerEnvelope): void {
		// A hello states where this connection's count starts. After it, replayed envelopes carry older seqs, and
		// the count can only lag (previews dropped under backpressure), never lead: so keep the larger one.
		this.#relay.seq = envelope.t === 'hello' ? envelope.seq : Math.max(this.#relay.seq, envelope.seq);
		switch (envelope.t) {
			case 'hello':
				this.#relay.epoch = envelope.epoch;
				this.#relay.simulated = envelope.simulated;
				if (envelope.snapshot) {
					this.#relay.upstream = envelope.snapshot.upstream;
					// Owners first, so a run that is replayed from the snapshot is already known as someone's.
					for (const run of envelope.snapshot.runs ?? []) this.#runListeners.emit(run);
					for (const event of snapshotEvents(envelope.snapshot)) this.#emit(event);
				}
				this.#updateStatus(true);
				return;
			case 'comfy': {
				const message = toMessage(envelope.m);
				if (message) this.#emit({ type: 'message', message });
				return;
			}
			case 'upstream':
				this.#relay.upstream = envelope.state;
				this.#updateStatus(false);
				return;
			case 'run':
				this.#runListeners.emit(envelope.run);
				return;
		}
	}

	/** Live means both hops work: this phone to the relay, and the relay to ComfyUI. */
	#updateStatus(greeted: boolean): void {
		const { status, error } = relayConnectionStatus(this.#relay.upstream);
		if (greeted || status !== this.#state.status || error !== this.#state.error) this.#setState({ status, attempt: 0, error });
	}

	/**
	 * Other tabs or windows of this device hold newer relay sockets and the relay closed this, the oldest. A timed
	 * retry would close one of those in turn, and so on round the tabs: this one waits until it is shown again.
	 */
	#park(): void {
		this.#parked = true;
		this.#setState({
			status: 'offline',
			error: 'Comfy Pocket is open in too many tabs or windows on this device; the relay closed this one. Come back to it to reconnect.'
		});
	}

	#giveUp(error: string): void {
		this.#wanted = false;
		this.#setState({ status: 'offline', error });
	}

	#scheduleRetry(error: string): void {
		if (!this.#wanted) return;
		const attempt = this.#state.attempt + 1;
		this.#setState({ status: attempt > (this.#opts.offlineAfter ?? 4) ? 'offline' : 'reconnecting', attempt, error });
		const { minMs, maxMs } = this.#opts.backoff ?? DEFAULT_BACKOFF;
		const ceiling = Math.min(maxMs, minMs * 2 ** (attempt - 1));
		const delay = Math.round(ceiling / 2 + (ceiling / 2) * (this.#opts.random ?? Math.random)());
		this.#retryTimer = setTimeout(() => {
			this.#retryTimer = null;
			void this.#open();
		}, delay);
	}

	// The runtime answers PING itself, so keepalives do not wake a resting relay.
	#startKeepalive(ws: WebSocket): void {
		const every = this.#opts.keepaliveMs ?? 25_000;
		if (every <= 0) return;
		this.#keepaliveTimer = setInterval(() => {
			if (this.#socketOpen && ws.readyState === 1) ws.send(PING);
		}, every);
	}

	#stopKeepalive(): void {
		if (this.#keepaliveTimer) clearInterval(this.#keepaliveTimer);
		this.#keepaliveTimer = null;
	}

	#setState(patch: Partial<ConnectionState>): void {
		this.#state = { ...this.#state, ...patch };
		if (this.#state.error === undefined) delete this.#state.error;
		this.#emit({ type: 'connection', state: this.state });
	}

	#emit(event: ComfyEvent): void {
		this.#listeners.emit(event);
	}
}
