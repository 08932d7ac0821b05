// The relay as a ComfyTransport: the same ComfyApi, pointed at the relay's allowlisted API with the device token,
// and a RelaySocket for events. The relay sets the real ComfyUI client_id on prompts itself.
import { ComfyApi } from '../comfy/http';
import type { ComfyTransport } from '../comfy/transport';
import { rigPrefix } from './protocol';
import { RelaySocket } from './relay-socket';

export interface RelayTransportOptions {
	origin: string;
	deviceId: string;
	token: string;
	/** One of the relay's rigs: its paths are `/relay/rig/<name>/…`. Absent for the relay's default rig. */
	rig?: string;
	fetch?: typeof fetch;
	WebSocketImpl?: typeof WebSocket;
}

export function createRelayTransport(opts: RelayTransportOptions): ComfyTransport & { events: RelaySocket } {
	const origin = opts.origin.replace(/\/+$/, '');
	// `${RELAY_API_PREFIX}` for the default rig, `/relay/rig/<name>/api` for another.
	const api = new ComfyApi({ baseUrl: `${origin}${rigPrefix(opts.rig)}/api`, headers: { Authorization: `Bearer ${opts.token}` }, fetch: opts.fetch });
	const events = new RelaySocket({ origin, token: opts.token, rig: opts.rig, fetch: opts.fetch, WebSocketImpl: opts.WebSocketImpl });
	return { kind: 'relay', api, events, clientId: `relay-device-${opts.deviceId}` };
}
