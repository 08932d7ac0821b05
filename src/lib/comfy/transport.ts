// The seam between the app and a ComfyUI connection. A direct LAN socket and the relay are two implementations
// of the same shape, so the job API above does not care which one it runs on.
// The stream types are defined in events.ts (socket.ts implements them) and re-exported as part of this seam.
import type { EventStream } from './events';
import { ComfyApi } from './http';
import { ComfySocket } from './socket';

export type { ConnectionState, ConnectionStatus, EventStream } from './events';

export interface ComfyTransport {
	/** `pool`: several servers as one (app/pools); the app's own transports are direct or relay. */
	readonly kind: 'direct' | 'relay' | 'pool';
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
