// The seam between the app and a ComfyUI connection. A direct LAN socket and the relay are two implementations
// of the same shape, so the job API above does not care which one it runs on.
import type { ComfyEvent } from './events';
import { ComfyApi } from './http';
import { ComfySocket } from './socket';

export type ConnectionStatus = 'idle' | 'connecting' | 'live' | 'reconnecting' | 'offline';

export interface ConnectionState {
	status: ConnectionStatus;
	/** ms epoch of the last frame or message received; null before the first. */
	lastEventAt: number | null;
	/** Reconnect attempts since the last time the stream was live. */
	attempt: number;
	error?: string;
}

export interface EventStream {
	connect(): void;
	close(): void;
	/** Returns the unsubscribe function. Listeners that throw do not break the stream. */
	subscribe(fn: (e: ComfyEvent) => void): () => void;
	readonly state: ConnectionState;
	/** Skips the backoff wait and reconnects now (the page became visible again, the network came back). */
	retryNow(): void;
}

export interface ComfyTransport {
	readonly kind: 'direct' | 'relay';
	readonly api: ComfyApi;
	readonly events: EventStream;
	readonly clientId: string;
}

export interface DirectTransportOptions {
	baseUrl: string;
	clientId: string;
	WebSocketImpl?: typeof WebSocket;
	fetch?: typeof fetch;
}

export function createDirectTransport(opts: DirectTransportOptions): ComfyTransport {
	const api = new ComfyApi({ baseUrl: opts.baseUrl, fetch: opts.fetch });
	const events = new ComfySocket({ url: opts.baseUrl, clientId: opts.clientId, WebSocketImpl: opts.WebSocketImpl });
	return { kind: 'direct', api, events, clientId: opts.clientId };
}
