// The one deployed Worker: the app's static assets, and the relay under /relay/*. Large ComfyUI bodies (/view,
// uploads, /object_info…) stream through here straight to the tunnel once the Durable Object has vouched for the
// device token; everything stateful (pairing, tickets, phone sockets, prompts) is the Durable Object's.
import { classifyApiRequest } from './allowlist';
import type { Env } from './env';
import { bearerOf, clientAddress, notFound, tooLarge, tooMany, unauthorized } from './responses';
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
			body: request.method === 'POST' ? request.body : null
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

async function handleRelay(request: Request, env: Env, url: URL): Promise<Response> {
	if (request.method === 'OPTIONS') return new Response(null, { status: 204, headers: CORS });
	const isApi = url.pathname === RELAY_API_PREFIX || url.pathname.startsWith(`${RELAY_API_PREFIX}/`);
	const res = isApi ? await handleApi(request, env, url) : await relayFor(env).fetch(request);
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
