// ComfyUI's two modes for cross-origin callers (lan-notes.md §5): with --enable-cors-header ORIGIN, CORS headers on
// every response and 200 for any OPTIONS; without it, an origin guard that answers an empty 403 when the Host is
// loopback and the Origin's host differs, or when the browser says Sec-Fetch-Site: cross-site.
import type { IncomingHttpHeaders } from 'node:http';
import { isIP } from 'node:net';

function isLoopback(hostname: string): boolean {
	const bare = hostname.replace(/^\[|\]$/g, '');
	if (bare === 'localhost' || bare.endsWith('.localhost')) return true;
	if (isIP(bare) === 4) return bare.startsWith('127.');
	return bare === '::1';
}

/** `host[:port]` → parts, the way urllib.parse.urlsplit('//' + netloc) sees them. */
function netloc(value: string): { hostname: string; port: string | null } | null {
	const m = /^(\[[^\]]*\]|[^:/]*)(?::(\d*))?$/.exec(value.toLowerCase());
	return m ? { hostname: m[1], port: m[2] || null } : null;
}

/** True when the origin guard of a server without the CORS flag would refuse this request. */
export function originRefused(headers: IncomingHttpHeaders): boolean {
	if (headers['sec-fetch-site'] === 'cross-site') return true;
	const host = headers.host;
	const origin = headers.origin;
	if (!host || !origin) return false;
	const hostParts = netloc(host);
	const originNetloc = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)/i.exec(origin)?.[1] ?? '';
	const originParts = netloc(originNetloc);
	if (!hostParts || !originParts || !isLoopback(hostParts.hostname)) return false;
	// Like the server: compare host:port, but drop the port on one side when the other side has none.
	const hostDomain = originParts.port === null ? hostParts.hostname : host.toLowerCase();
	const originDomain = hostParts.port === null ? originParts.hostname : originNetloc.toLowerCase();
	if (!hostDomain || !originDomain) return false;
	return hostDomain !== originDomain;
}

export function corsHeaders(allowedOrigin: string): Record<string, string> {
	return {
		'Access-Control-Allow-Origin': allowedOrigin,
		'Access-Control-Allow-Methods': 'POST, GET, DELETE, PUT, OPTIONS',
		'Access-Control-Allow-Headers': 'Content-Type, Authorization',
		'Access-Control-Allow-Credentials': 'true'
	};
}
