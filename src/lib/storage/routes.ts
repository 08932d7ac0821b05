// The ways in to one server: its primary address first, then the routes attached to it (pure).
import type { ServerRecord, ServerRecordKind, ServerRoute } from './types';

/** The primary way in, then the extra routes, without duplicates (same kind and address). A pool has none of its own. */
export function serverRoutes(server: ServerRecord): ServerRoute[] {
	if (server.kind === 'pool') return [];
	const primary: ServerRoute = { kind: server.kind, baseUrl: server.baseUrl, deviceId: server.deviceId, token: server.token, ...(server.rig ? { rig: server.rig } : {}) };
	const all = [primary, ...(server.routes ?? [])];
	const seen = new Set<string>();
	return all.filter((route) => {
		const key = routeKey(route);
		if (seen.has(key)) return false;
		seen.add(key);
		return true;
	});
}

/** Identifies a route within its server; two rigs of one relay are two routes. */
export function routeKey(route: { kind: ServerRecordKind; baseUrl: string; rig?: string }): string {
	return `${route.kind}:${route.baseUrl.replace(/\/+$/, '').toLowerCase()}${route.rig ? `#rig=${route.rig}` : ''}`;
}

/** A Tailscale MagicDNS name or a 100.64.0.0/10 address (Tailscale's CGNAT range). */
export function isTailscaleAddress(baseUrl: string): boolean {
	let host: string;
	try {
		host = new URL(baseUrl).hostname.toLowerCase();
	} catch {
		return false;
	}
	if (host.endsWith('.ts.net')) return true;
	const m = /^100\.(\d+)\.\d+\.\d+$/.exec(host);
	return m !== null && Number(m[1]) >= 64 && Number(m[1]) <= 127;
}

/** The kinds of way in that the pill and Settings name after "via" ("home Wi-Fi", "Tailscale", "relay"). */
export type RouteWay = 'pool' | 'relay' | 'tailscale' | 'home-wifi';

/** What kind of way in a route is (the app words it: app/paths/route-label.ts). */
export function routeWay(route: { kind: ServerRecordKind; baseUrl: string }): RouteWay {
	if (route.kind === 'pool') return 'pool';
	if (route.kind === 'relay') return 'relay';
	return isTailscaleAddress(route.baseUrl) ? 'tailscale' : 'home-wifi';
}

/** The server with one more way in (replacing a route with the same kind and address). */
export function withRoute(server: ServerRecord, route: ServerRoute): ServerRecord {
	const key = routeKey(route);
	if (routeKey(server) === key) return server;
	return { ...server, routes: [...(server.routes ?? []).filter((r) => routeKey(r) !== key), route] };
}
