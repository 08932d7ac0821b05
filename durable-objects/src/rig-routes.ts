// The Worker's routes for rigs other than the default (rigs.ts): `/relay/rig/<name>/…` mirrors the default rig's
// `/relay/…` (info, ticket, ws, api/…, push/…), and `GET /relay/rigs` lists every rig with its upstream state.
// Devices and tickets live in the default rig's object, which checks them (with its failure limits) before any
// request reaches a rig's object; the rig object then gets the verified device in DEVICE_HEADER.
import { RIGS_PATH, type RelayInfo, type RigsResponse } from '../../src/lib/relay/protocol';
import { proxyApi } from './api-proxy';
import type { Env } from './env';
import { vouchedHeaders, withBufferedBody } from './forwarding';
import type { AuthResult, RelayRpc } from './relay-host';
import { badRequest, bearerOf, clientAddress, notFound, tooMany, unauthorized } from './responses';
import type { Rig } from './rigs';
import { rigUpstreamConfig } from './upstream-http';

const RIG_PATH = /^\/relay\/rig\/([^/]*)(\/.*)?$/;
/** A rig's own routes besides the API, socket and ticket, answered by its object. */
const RIG_CONTROL = new Set(['GET /info', 'GET /push/key', 'PUT /push/subscription', 'DELETE /push/subscription']);

/** The default rig's object: named after COMFY_URL, as before rigs, so its devices and state stay. */
export function defaultRelay(env: Env): DurableObjectStub<RelayRpc> {
	return env.RELAY.get(env.RELAY.idFromName(env.COMFY_URL));
}

/** One object per rig, named after the rig. */
export function relayOfRig(env: Env, rig: Rig): DurableObjectStub<RelayRpc> {
	return rig.isDefault ? defaultRelay(env) : env.RELAY.get(env.RELAY.idFromName(`rig:${rig.name}`));
}

export function isRigPath(pathname: string): boolean {
	return pathname === RIGS_PATH || RIG_PATH.test(pathname);
}

export function refusal(auth: Extract<AuthResult, { ok: false }>): Response {
	return auth.status === 429 ? tooMany(auth.retryAfterMs ?? 60_000) : unauthorized();
}

export async function handleRigs(request: Request, env: Env, url: URL, rigs: Rig[]): Promise<Response> {
	const match = RIG_PATH.exec(url.pathname);
	const rest = match?.[2] ?? '';
	const address = clientAddress(request);
	// The socket's ticket is checked first, as on the default rig's `/relay/ws`; everything else needs the token.
	const isSocket = match !== null && rest === '/ws' && request.method === 'GET';
	const auth = isSocket
		? await defaultRelay(env).redeemTicket(url.searchParams.get('ticket'), address)
		: await defaultRelay(env).verifyDevice(bearerOf(request), address);
	if (!auth.ok) {
		await request.body?.cancel();
		return refusal(auth);
	}
	if (match === null) return request.method === 'GET' ? listRigs(env, url, rigs, auth.deviceId) : notFound();
	const rig = rigs.find((r) => !r.isDefault && r.name === match[1]);
	if (!rig) {
		await request.body?.cancel();
		return notFound();
	}
	if (rest === '/api' || rest.startsWith('/api/')) {
		return proxyApi(request, url, rest.slice('/api'.length), { relay: relayOfRig(env, rig), config: rigUpstreamConfig(rig), rig }, auth);
	}
	if (isSocket) {
		if (request.headers.get('Upgrade')?.toLowerCase() !== 'websocket') return badRequest('Expected a WebSocket upgrade.');
		const query = new URLSearchParams();
		for (const name of ['since', 'epoch']) {
			const value = url.searchParams.get(name);
			if (value !== null) query.set(name, value);
		}
		return relayOfRig(env, rig).fetch(new Request(`${url.origin}/internal/ws?${query}`, { headers: vouchedHeaders(auth, rig, { Upgrade: 'websocket' }) }));
	}
	// Tickets, like devices, are the default rig's: a rig's socket is opened with one (above).
	if (rest === '/ticket' && request.method === 'POST') {
		await request.body?.cancel();
		return defaultRelay(env).fetch(new Request(`${url.origin}/internal/ticket`, { method: 'POST', headers: vouchedHeaders(auth, null) }));
	}
	if (!RIG_CONTROL.has(`${request.method} ${rest}`)) {
		await request.body?.cancel();
		return notFound();
	}
	const inner = await withBufferedBody(request, `${url.origin}/internal${rest}`);
	return relayOfRig(env, rig).fetch(new Request(inner, { headers: vouchedHeaders(auth, rig, inner.headers) }));
}

async function listRigs(env: Env, url: URL, rigs: Rig[], deviceId: string): Promise<Response> {
	const listed = await Promise.all(
		rigs.map(async (rig) => {
			const res = await relayOfRig(env, rig).fetch(new Request(`${url.origin}/internal/info`, { headers: vouchedHeaders({ deviceId }, rig) }));
			const info = (await res.json()) as RelayInfo;
			return { name: rig.name, default: rig.isDefault, upstream: info.upstream };
		})
	);
	const body: RigsResponse = { rigs: listed };
	return Response.json(body);
}

/** After the default rig revoked a device: every rig's object drops its push subscription and closes its sockets. */
export async function forgetOnRigs(env: Env, url: URL, rigs: Rig[], deviceId: string): Promise<void> {
	await Promise.all(
		rigs
			.filter((rig) => !rig.isDefault)
			.map(async (rig) => {
				const res = await relayOfRig(env, rig).fetch(new Request(`${url.origin}/internal/forget-device`, { method: 'POST', headers: vouchedHeaders({ deviceId }, rig) }));
				if (res.status !== 204) throw new Error(`rig ${rig.name} answered ${res.status}`);
			})
	);
}
