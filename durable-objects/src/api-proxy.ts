// The allowlisted ComfyUI API for a device already verified, on one rig: prompts, interrupts and queue changes go
// through the rig's relay object (it owns the clientId and who queued what); large bodies (/view, uploads,
// /object_info…) stream from here straight to that rig's fixed upstream.
import { classifyApiRequest } from './allowlist';
import { vouchedHeaders } from './forwarding';
import type { RelayRpc, VerifiedDevice } from './relay-host';
import { notFound, readPrefix, tooLarge } from './responses';
import type { Rig } from './rigs';
import { passThrough, upstreamFetch, type UpstreamConfig } from './upstream-http';

export interface ApiTarget {
	relay: DurableObjectStub<RelayRpc>;
	config: UpstreamConfig;
	/** Null for the default rig. */
	rig: Rig | null;
}

/** `path` is what follows the API prefix (`/api/queue`); `url` the request's own URL. */
export async function proxyApi(request: Request, url: URL, path: string, target: ApiTarget, device: VerifiedDevice): Promise<Response> {
	const route = classifyApiRequest(request.method, path, url.searchParams);
	if (!route) return notFound();
	if (route.handler === 'relay') {
		const internal = new Request(`https://relay.internal/internal/api${path}${url.search}`, {
			method: request.method,
			headers: vouchedHeaders(device, target.rig, { 'Content-Type': request.headers.get('Content-Type') ?? 'application/json' }),
			// Bytes, not the client's stream: see withBufferedBody.
			body: request.method === 'POST' ? await readPrefix(request, route.maxBodyBytes + 1) : null
		});
		return target.relay.fetch(internal);
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
	const res = await upstreamFetch(target.config, route.upstreamPath, {
		method: route.method,
		headers,
		body: route.method === 'POST' ? request.body : null
	});
	return passThrough(res);
}
