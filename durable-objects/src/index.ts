// The one deployed Worker: the app's static assets, and the relay under /relay/*. Large ComfyUI bodies (/view,
// uploads, /object_info…) stream through here straight to the tunnel once the Durable Object has vouched for the
// device token; everything stateful (pairing, tickets, phone sockets, prompts) is the Durable Object's.
import { proxyApi } from './api-proxy';
import type { Env } from './env';
import { withBufferedBody } from './forwarding';
import { withoutInternalHeaders } from './internal-headers';
import { bearerOf, clientAddress, notFound } from './responses';
import { defaultRelay, forgetOnRigs, handleRigs, isRigPath, refusal } from './rig-routes';
import { parseRigs, type Rig } from './rigs';
import { upstreamConfig } from './upstream-http';
import { RELAY_API_PREFIX, RELAY_PREFIX } from '../../src/lib/relay/protocol';

export { Relay } from './relay';
export type { Env } from './env';

async function handleApi(request: Request, env: Env, url: URL): Promise<Response> {
	const relay = defaultRelay(env);
	const auth = await relay.verifyDevice(bearerOf(request), clientAddress(request));
	if (!auth.ok) return refusal(auth);
	return proxyApi(request, url, url.pathname.slice(RELAY_API_PREFIX.length), { relay, config: upstreamConfig(env), rig: null }, auth);
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

/** A configuration the relay cannot use (rigs.ts) is said plainly, and nothing is contacted. */
function misconfigured(message: string): Response {
	return Response.json({ error: 'relay-misconfigured', message: `The relay's configuration is broken: ${message}` }, { status: 500 });
}

async function handleRelay(request: Request, env: Env, url: URL): Promise<Response> {
	if (request.method === 'OPTIONS') return new Response(null, { status: 204, headers: CORS });
	const config = parseRigs(env);
	const res = config.ok ? await routeRelay(request, env, url, config.rigs) : misconfigured(config.message);
	if (res.webSocket) return res;
	const headers = new Headers(res.headers);
	for (const [name, value] of Object.entries(CORS)) headers.set(name, value);
	return new Response(res.body, { status: res.status, statusText: res.statusText, headers });
}

const REVOKE_PATH = /^\/relay\/admin\/devices\/([A-Za-z0-9_-]{1,64})$/;

async function routeRelay(request: Request, env: Env, url: URL, rigs: Rig[]): Promise<Response> {
	if (isRigPath(url.pathname)) return handleRigs(request, env, url, rigs);
	const isApi = url.pathname === RELAY_API_PREFIX || url.pathname.startsWith(`${RELAY_API_PREFIX}/`);
	if (isApi) return handleApi(request, env, url);
	const res = await defaultRelay(env).fetch(await withBufferedBody(request));
	// Revoked on the default rig (where devices live): the other rigs close its sockets and drop its push subscription.
	const revoked = request.method === 'DELETE' ? REVOKE_PATH.exec(url.pathname) : null;
	if (revoked && res.status === 204 && rigs.length > 1) {
		try {
			await forgetOnRigs(env, url, rigs, revoked[1]);
		} catch {
			return Response.json(
				{ error: 'revoke-incomplete', message: 'The device is revoked (its token and tickets no longer work), but a rig could not close its open sockets yet: revoke it again.' },
				{ status: 502 }
			);
		}
	}
	return res;
}

export default {
	async fetch(request, env): Promise<Response> {
		const url = new URL(request.url);
		// Only the Worker names a verified device or a rig to the relay objects: no client header may.
		if (url.pathname.startsWith(`${RELAY_PREFIX}/`)) return handleRelay(withoutInternalHeaders(request), env, url);
		return env.ASSETS ? env.ASSETS.fetch(request) : notFound();
	}
} satisfies ExportedHandler<Env>;
