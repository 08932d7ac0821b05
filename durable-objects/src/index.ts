// The one deployed Worker: the app's static assets, and the relay under /relay/*. Large ComfyUI bodies (/view,
// uploads, /object_info…) stream through here straight to the tunnel once the Durable Object has vouched for the
// device token; everything stateful (pairing, tickets, phone sockets, prompts) is the Durable Object's.
import { classifyApiRequest } from './allowlist';
import type { Env } from './env';
import { MAX_SUBSCRIPTION_BODY } from './push-subscriptions';
import { PAIR_BODY_LIMIT } from './relay-control';
import { bearerOf, clientAddress, notFound, readPrefix, tooLarge, tooMany, unauthorized } from './responses';
import { passThrough, upstreamConfig, upstreamFetch } from './upstream-http';
import { RELAY_API_PREFIX, RELAY_PREFIX } from '../../src/lib/relay/protocol';

export { Relay } from './relay';
export type { Env } from './env';

/** One relay per ComfyUI server: the object is named after the configured upstream. */
function relayFor(env: Env) {
	return env.RELAY.get(env.RELAY.idFromName(env.COMFY_URL));
}

async function handleApi(request: Request, env: Env, url: URL): Promise<Response> {
	const relay = relayFor(env);
	const auth = await relay.verifyDevice(bearerOf(request), clientAddress(request));
	if (!auth.ok) return auth.status === 429 ? tooMany(auth.retryAfterMs ?? 60_000) : unauthorized();
	const path = url.pathname.slice(RELAY_API_PREFIX.length);
	const route = classifyApiRequest(request.method, path, url.searchParams);
	if (!route) return notFound();
	if (route.handler === 'relay') {
		const internal = new Request(`https://relay.internal/internal/api${path}${url.search}`, {
			method: request.method,
			headers: { 'Content-Type': request.headers.get('Content-Type') ?? 'application/json', 'X-Relay-Device': auth.deviceId },
			// Bytes, not the client's stream: see withBufferedBody.
			body: request.method === 'POST' ? await readPrefix(request, route.maxBodyBytes + 1) : null
		});
		return relay.fetch(internal);
	}
	if (route.method === 'POST') {
		// Browsers always send a length with FormData; insisting on it lets us refuse before streaming a byte.
		const length = Number(request.headers.get('Content-Length') ?? NaN);
		if (!Number.isFinite(length)) return new Response(null, { status: 411 });
		if (length > route.maxBodyBytes) return tooLarge();
	}
	const headers = new Headers();
	for (const name of ['content-type', 'content-length', 'range', 'if-none-match', 'accept']) {
		const value = request.headers.get(name);
		if (value !== null) headers.set(name, value);
	}
	const res = await upstreamFetch(upstreamConfig(env), route.upstreamPath, {
		method: route.method,
		headers,
		body: route.method === 'POST' ? request.body : null
	});
	return passThrough(res);
}

/**
 * The relay authenticates with bearer tokens, never cookies, so any origin may call it: a page without a token gets
 * the same 401 as anyone. This lets an app served elsewhere (`vite dev`, another host) use a relay.
 */
const CORS = {
	'Access-Control-Allow-Origin': '*',
	'Access-Control-Allow-Methods': 'GET, POST, PUT, DELETE',
	'Access-Control-Allow-Headers': 'Authorization, Content-Type',
	'Access-Control-Max-Age': '86400'
};

/**
 * The relay's own routes take small bodies (pairing, a push subscription: 4 KiB at most). The Worker
 * reads them here and hands the Durable Object bytes, not the client's stream. Passing the stream on left the runtime
 * pumping it into the object after the object had answered without reading it (every refusal does: a 401, a 429,
 * an oversized body): "Can't read from request stream after response has been sent", thrown where no one catches
 * it, broke the connection another request was using (`wrangler dev` answered it 503). A body over the limit is cut
 * at limit + 1 bytes, which the object refuses as too large, and the rest is never read.
 */
async function withBufferedBody(request: Request): Promise<Request> {
	const CONTROL_BODY_LIMIT = Math.max(PAIR_BODY_LIMIT, MAX_SUBSCRIPTION_BODY);
	if (request.body === null) return request;
	const headers = new Headers(request.headers);
	headers.delete('Content-Length');
	headers.delete('Transfer-Encoding');
	const takesBody = request.method === 'POST' || request.method === 'PUT';
	const body = takesBody ? await readPrefix(request, CONTROL_BODY_LIMIT + 1) : null;
	if (!takesBody) await request.body.cancel();
	return new Request(request.url, { method: request.method, headers, body });
}

async function handleRelay(request: Request, env: Env, url: URL): Promise<Response> {
	if (request.method === 'OPTIONS') return new Response(null, { status: 204, headers: CORS });
	const isApi = url.pathname === RELAY_API_PREFIX || url.pathname.startsWith(`${RELAY_API_PREFIX}/`);
	const res = isApi ? await handleApi(request, env, url) : await relayFor(env).fetch(await withBufferedBody(request));
	if (res.webSocket) return res;
	const headers = new Headers(res.headers);
	for (const [name, value] of Object.entries(CORS)) headers.set(name, value);
	return new Response(res.body, { status: res.status, statusText: res.statusText, headers });
}

export default {
	async fetch(request, env): Promise<Response> {
		const url = new URL(request.url);
		if (url.pathname.startsWith(`${RELAY_PREFIX}/`)) return handleRelay(request, env, url);
		return env.ASSETS ? env.ASSETS.fetch(request) : notFound();
	}
} satisfies ExportedHandler<Env>;
