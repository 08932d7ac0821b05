// What a device may do on a relay object once it is known who it is (its token or ticket checked by the default
// rig's object): its info, its phone socket, its push subscription, and, on revocation, being forgotten. The
// default rig answers these from its own routes (relay-control.ts); a rig object from the Worker's internal
// requests (`/internal/…`, routeInternal), which carry the verified device in DEVICE_HEADER.
import { CLOSE_REVOKED, type RelayInfo } from '../../src/lib/relay/protocol';
import { deleteSubscription, pushKey, putSubscription } from './push-routes';
import type { ControlHost } from './relay-host';
import { badRequest, notFound } from './responses';

export function relayInfo(relay: ControlHost): Response {
	const info: RelayInfo = { simulated: relay.simulated, upstream: relay.upstream.state };
	return Response.json(info);
}

/** Accepts the phone socket of a device already checked; `since`/`epoch` ask for a replay. */
export function acceptPhoneSocket(relay: ControlHost, request: Request, url: URL, deviceId: string): Response {
	if (request.headers.get('Upgrade')?.toLowerCase() !== 'websocket') return badRequest('Expected a WebSocket upgrade.');
	const sinceParam = url.searchParams.get('since');
	const since = sinceParam !== null && /^\d{1,15}$/.test(sinceParam) ? Number(sinceParam) : null;
	const pairOfSockets = new WebSocketPair();
	const [client, server] = [pairOfSockets[0], pairOfSockets[1]];
	relay.hub.accept(server, deviceId);
	relay.greet(server, since, url.searchParams.get('epoch'));
	return new Response(null, { status: 101, webSocket: client });
}

/** A revoked device: its push subscription goes and its open sockets close with CLOSE_REVOKED. */
export function forgetDevice(relay: ControlHost, deviceId: string): void {
	relay.pushSubscriptions.remove(deviceId);
	relay.hub.closeDevice(deviceId, CLOSE_REVOKED, 'device revoked');
}

/** The Worker's internal requests for a device it has verified (everything under `/internal/` but the API). */
export async function routeInternal(relay: ControlHost, request: Request, url: URL, deviceId: string): Promise<Response> {
	switch (`${request.method} ${url.pathname}`) {
		case 'GET /internal/info':
			return relayInfo(relay);
		case 'POST /internal/ticket':
			return Response.json(await relay.credentials.issueTicket(deviceId));
		case 'GET /internal/ws':
			return acceptPhoneSocket(relay, request, url, deviceId);
		case 'GET /internal/push/key':
			return pushKey(relay);
		case 'PUT /internal/push/subscription':
			return putSubscription(relay, request, deviceId);
		case 'DELETE /internal/push/subscription':
			return deleteSubscription(relay, deviceId);
		case 'POST /internal/forget-device':
			forgetDevice(relay, deviceId);
			return new Response(null, { status: 204 });
		default:
			return notFound();
	}
}
