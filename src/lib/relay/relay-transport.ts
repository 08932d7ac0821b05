// The relay as a ComfyTransport: the same ComfyApi, pointed at the relay's allowlisted API with the device token,
// and a RelaySocket for events. The relay sets the real ComfyUI client_id on prompts itself.
import { ComfyApi } from '../comfy/http';
import type { ComfyTransport } from '../comfy/transport';
import { RELAY_API_PREFIX } from './protocol';
import { RelaySocket } from './relay-socket';

export interface RelayTransportOptions {
	origin: string;
	deviceId: string;
	token: string;
	fetch?: typeof fetch;
	WebSocketImpl?: typeof WebSocket;
}

export function createRelayTransport(opts: RelayTransportOptions): ComfyTransport & { events: RelaySocket } {
	const origin = opts.origin.replace(/\/+$/, '');
	const api = new ComfyApi({ baseUrl: `${origin}${RELAY_API_PREFIX}`, headers: { Authorization: `Bearer ${opts.token}` }, fetch: opts.fetch });
	const events = new RelaySocket({ origin, token: opts.token, fetch: opts.fetch, WebSocketImpl: opts.WebSocketImpl });
	return { kind: 'relay', api, events, clientId: `relay-device-${opts.deviceId}` };
}
