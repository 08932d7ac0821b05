// The relay's own routes, answered by the Durable Object: pairing, the owner's admin calls, the phone's info,
// WebSocket ticket and push subscription, and the phone socket itself. Every refusal is a bare 401 (or 429 once an
// address keeps failing).
import { secretsEqual } from './crypto';
import { acceptPhoneSocket, forgetDevice, relayInfo } from './device-routes';
import { deleteSubscription, pushKey, putSubscription } from './push-routes';
import type { ControlHost } from './relay-host';
import { bearerOf, clientAddress, notFound, readLimited, tooMany, unauthorized } from './responses';

/** A pairing request is `{code, name}`: anything larger is refused unread. */
export const PAIR_BODY_LIMIT = 4096;

type Handler = (relay: ControlHost, request: Request, url: URL) => Promise<Response>;

const ROUTES: Record<string, Handler> = {
	'POST /relay/pair': pair,
	'POST /relay/admin/codes': (relay, request) => asAdmin(relay, request, async () => Response.json(await relay.credentials.createPairingCode())),
	'GET /relay/admin/devices': (relay, request) => asAdmin(relay, request, async () => Response.json(relay.credentials.listDevices())),
	'GET /relay/info': (relay, request) => asDevice(relay, request, async () => relayInfo(relay)),
	'POST /relay/ticket': (relay, request) => asDevice(relay, request, async (deviceId) => Response.json(await relay.credentials.issueTicket(deviceId))),
	'GET /relay/ws': openPhoneSocket,
	'GET /relay/push/key': (relay, request) => asDevice(relay, request, () => pushKey(relay)),
	'PUT /relay/push/subscription': (relay, request) => asDevice(relay, request, (deviceId) => putSubscription(relay, request, deviceId)),
	'DELETE /relay/push/subscription': (relay, request) => asDevice(relay, request, (deviceId) => deleteSubscription(relay, deviceId))
};

export async function routeControl(relay: ControlHost, request: Request, url: URL): Promise<Response> {
	const revoke = /^\/relay\/admin\/devices\/([A-Za-z0-9_-]{1,64})$/.exec(url.pathname);
	if (revoke && request.method === 'DELETE') return asAdmin(relay, request, async () => revokeDevice(relay, revoke[1]));
	const handler = ROUTES[`${request.method} ${url.pathname}`];
	return handler ? handler(relay, request, url) : notFound();
}

/**
 * The admin secret is the one credential a person chooses, and the limiter allows each address 14,400 guesses a
 * day: a short one could be found by a botnet, so the admin routes stay shut until it is long enough.
 */
export const MIN_ADMIN_SECRET_LENGTH = 16;

async function asAdmin(relay: ControlHost, request: Request, then: () => Promise<Response>): Promise<Response> {
	const address = clientAddress(request);
	const wait = relay.limiter.retryAfterMs(address);
	if (wait > 0) return tooMany(wait);
	const secret = relay.adminSecret;
	if (secret !== undefined && secret.length < MIN_ADMIN_SECRET_LENGTH) {
		return Response.json(
			{ error: 'weak-admin-secret', message: `ADMIN_SECRET is shorter than ${MIN_ADMIN_SECRET_LENGTH} characters; the relay's admin routes stay off until it is longer.` },
			{ status: 503 }
		);
	}
	const given = bearerOf(request);
	const verdict = await relay.limiter.attempt(address, async () => (secret && given && (await secretsEqual(given, secret)) ? true : null));
	return verdict.ok ? then() : refusal(verdict.retryAfterMs);
}

/** A refusal by the limiter says 429 with its wait; any other refusal is a bare 401. */
function refusal(retryAfterMs: number): Response {
	return retryAfterMs > 0 ? tooMany(retryAfterMs) : unauthorized();
}

async function asDevice(relay: ControlHost, request: Request, then: (deviceId: string) => Promise<Response>): Promise<Response> {
	const auth = await relay.verifyDevice(bearerOf(request), clientAddress(request));
	if (!auth.ok) return refusal(auth.retryAfterMs ?? 0);
	return then(auth.deviceId);
}

async function pair(relay: ControlHost, request: Request): Promise<Response> {
	const address = clientAddress(request);
	const wait = relay.limiter.retryAfterMs(address);
	if (wait > 0) return tooMany(wait);
	const text = await readLimited(request, PAIR_BODY_LIMIT);
	let body: unknown = null;
	try {
		body = text === null ? null : JSON.parse(text);
	} catch {
		body = null;
	}
	const { code, name } = (typeof body === 'object' && body !== null ? body : {}) as { code?: unknown; name?: unknown };
	// Decided under the limiter: a refused attempt (lockout, wrong type, bad code) never reaches the code's row.
	const verdict = await relay.limiter.attempt(address, async () =>
		typeof code === 'string' && code.length <= 64
			? relay.credentials.redeemPairingCode(code.trim().toLowerCase(), typeof name === 'string' ? name : 'Phone')
			: null
	);
	return verdict.ok ? Response.json(verdict.value) : refusal(verdict.retryAfterMs);
}

function revokeDevice(relay: ControlHost, deviceId: string): Response {
	if (!relay.credentials.revokeDevice(deviceId)) return notFound();
	forgetDevice(relay, deviceId);
	return new Response(null, { status: 204 });
}

async function openPhoneSocket(relay: ControlHost, request: Request, url: URL): Promise<Response> {
	const auth = await relay.redeemTicket(url.searchParams.get('ticket'), clientAddress(request));
	if (!auth.ok) return refusal(auth.retryAfterMs ?? 0);
	// Checked after the ticket (in acceptPhoneSocket), so that a stranger learns nothing but 401 about this route.
	return acceptPhoneSocket(relay, request, url, auth.deviceId);
}
