// Requests to the configured ComfyUI: fixed base URL, the optional Access service token or bearer on every
// request, and failures of the tunnel/Access layer turned into clear statuses for the phone.
import type { Env } from './env';
import type { Rig } from './rigs';

export interface UpstreamConfig {
	/** COMFY_URL without a trailing slash, e.g. `https://comfy.example.com`. */
	base: string;
	origin: string;
	headers: Record<string, string>;
}

export function upstreamConfig(env: Env): UpstreamConfig {
	return rigUpstreamConfig({
		url: env.COMFY_URL,
		accessClientId: env.COMFY_ACCESS_CLIENT_ID,
		accessClientSecret: env.COMFY_ACCESS_CLIENT_SECRET,
		bearer: env.COMFY_BEARER
	});
}

/** One rig's upstream (rigs.ts): its URL, and its Access service token or bearer when it has them. */
export function rigUpstreamConfig(rig: Pick<Rig, 'url' | 'accessClientId' | 'accessClientSecret' | 'bearer'>): UpstreamConfig {
	const base = rig.url.replace(/\/+$/, '');
	const headers: Record<string, string> = {};
	if (rig.accessClientId && rig.accessClientSecret) {
		headers['CF-Access-Client-Id'] = rig.accessClientId;
		headers['CF-Access-Client-Secret'] = rig.accessClientSecret;
	}
	if (rig.bearer) headers['Authorization'] = `Bearer ${rig.bearer}`;
	return { base, origin: new URL(base).origin, headers };
}

/** Builds the upstream URL and refuses (throws) if it would leave the configured origin. */
export function upstreamUrl(cfg: UpstreamConfig, pathAndQuery: string): string {
	if (!pathAndQuery.startsWith('/api/')) throw new Error(`upstream path must start with /api/: ${pathAndQuery}`);
	const url = new URL(cfg.base + pathAndQuery);
	if (url.origin !== cfg.origin) throw new Error('upstream URL left the configured origin');
	return url.toString();
}

export const UNREACHABLE_MESSAGE = 'ComfyUI did not answer the relay: the tunnel or ComfyUI is down.';

export type UpstreamFailure = { error: 'upstream-unauthorized' | 'upstream-unreachable'; message: string };

/**
 * Recognises answers that come from Cloudflare Access or the tunnel rather than from ComfyUI: a redirect to the
 * Access login page, or 401/403 (ComfyUI itself never authenticates).
 */
export function accessFailure(res: Response): UpstreamFailure | null {
	const location = res.headers.get('location') ?? '';
	if (res.status >= 300 && res.status < 400 && location.includes('cloudflareaccess.com')) {
		return {
			error: 'upstream-unauthorized',
			message: 'Cloudflare Access redirected the relay to a login page: the Access policy must use the Service Auth action, and COMFY_ACCESS_CLIENT_ID/SECRET must be set.'
		};
	}
	if (res.status === 401) {
		return { error: 'upstream-unauthorized', message: 'ComfyUI (or Cloudflare Access in front of it) refused the relay: the service token or bearer is missing, wrong or expired.' };
	}
	return null;
}

export function failureResponse(failure: UpstreamFailure): Response {
	return Response.json(failure, { status: 502 });
}

export async function upstreamFetch(cfg: UpstreamConfig, pathAndQuery: string, init: RequestInit = {}): Promise<Response> {
	const headers = new Headers(init.headers);
	for (const [k, v] of Object.entries(cfg.headers)) headers.set(k, v);
	try {
		const res = await fetch(upstreamUrl(cfg, pathAndQuery), { ...init, headers, redirect: 'manual' });
		const failure = accessFailure(res);
		if (failure) {
			await res.body?.cancel();
			return failureResponse(failure);
		}
		return res;
	} catch {
		// The runtime's own message can name the upstream URL or carry an internal reference: the phone gets neither.
		return failureResponse({ error: 'upstream-unreachable', message: UNREACHABLE_MESSAGE });
	}
}

/** Response headers worth passing back to the phone; everything else (cookies, server banners) stays behind. */
const PASSED_RESPONSE_HEADERS = ['content-type', 'content-length', 'content-disposition', 'content-range', 'accept-ranges', 'etag', 'last-modified', 'cache-control'];

export function passThrough(res: Response): Response {
	const headers = new Headers();
	for (const name of PASSED_RESPONSE_HEADERS) {
		const value = res.headers.get(name);
		if (value !== null) headers.set(name, value);
	}
	// ComfyUI types /view answers by file name, so an uploaded `.html` would be served as a page on the app's
	// origin (where the device tokens live): never sniffed, and sandboxed should a browser ever render one.
	headers.set('X-Content-Type-Options', 'nosniff');
	headers.set('Content-Security-Policy', "sandbox; default-src 'none'");
	return new Response(res.body, { status: res.status, headers });
}
