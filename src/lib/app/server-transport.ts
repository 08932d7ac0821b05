// The one place a server record becomes a transport. A server with one way in gets that route's transport (direct
// LAN socket or relay); one with several (its LAN address, its relay, a Tailscale name) gets a SwitchingTransport
// that uses the fastest that answers and moves when the network changes (src/lib/app/paths/).
import { createDirectTransport, type ComfyTransport } from '$lib/comfy/transport';
import { m } from '$lib/i18n';
import { isPool, poolMembers, poolShortfall, routeKey, serverRoutes, type PoolRecord, type ServerRecord, type ServerRoute } from '$lib/storage';
import type { RouteTransport, SwitchingTransport } from './paths/switching-transport';

/** `servers`: the stored servers, where a pool finds its rigs. */
export async function createServerTransport(server: ServerRecord, clientId: string, servers: readonly ServerRecord[] = []): Promise<ComfyTransport> {
	if (isPool(server)) return createPoolOf(server, clientId, servers);
	const routes = serverRoutes(server);
	if (routes.length === 1) return createRouteTransport(routes[0], clientId);
	let switching: SwitchingTransport | null = null;
	// Direct routes first: the LAN is taken the moment it answers, the relay once the direct ones have failed.
	const ordered = [...routes.filter((r) => r.kind !== 'relay'), ...routes.filter((r) => r.kind === 'relay')];
	const built: RouteTransport[] = [];
	let firstError: unknown = null;
	for (const route of ordered) {
		const key = routeKey(route);
		// A request that fails on the network (not an HTTP error) is a reason to look for another way in.
		const reporting: typeof fetch = (input, init) =>
			globalThis.fetch(input, init).catch((err: unknown) => {
				void switching?.trigger('request-failed', key);
				throw err;
			});
		try {
			built.push({ key, route, transport: await createRouteTransport(route, clientId, reporting) });
		} catch (err) {
			firstError ??= err; // e.g. a relay route whose pairing was lost: the other ways in still work
		}
	}
	if (built.length === 0) throw firstError;
	if (built.length === 1) return built[0].transport;
	// Only servers with several ways in need the path code: keep it out of the first screen's bundle.
	const [{ SwitchingTransport: Switching }, { watchNetwork }] = await Promise.all([import('./paths/switching-transport'), import('./paths/wiring')]);
	switching = new Switching({ routes: built, watch: watchNetwork });
	return switching;
}

/** One way in as a transport. */
export async function createRouteTransport(route: ServerRoute, clientId: string, fetchImpl?: typeof fetch): Promise<ComfyTransport> {
	if (route.kind === 'lan') return createDirectTransport({ baseUrl: route.baseUrl, clientId, fetch: fetchImpl });
	if (!route.deviceId || !route.token) throw new Error(m.server_transport_unpaired());
	// The relay code is only needed by relay users: keep it out of the first screen's bundle.
	const { createRelayTransport } = await import('$lib/relay/relay-transport');
	return createRelayTransport({ origin: route.baseUrl, deviceId: route.deviceId, token: route.token, rig: route.rig, fetch: fetchImpl });
}

/**
 * A pool (issue 11): one transport over its rigs' own transports (each built as above, so a rig with several ways
 * in keeps switching between them). A rig whose transport cannot be made (a relay whose pairing was lost) is left
 * out; when none can be made, the first reason is the pool's.
 */
async function createPoolOf(pool: PoolRecord, clientId: string, servers: readonly ServerRecord[]): Promise<ComfyTransport> {
	const shortfall = poolShortfall(pool, servers);
	if (shortfall) throw new Error(shortfall);
	const built = await Promise.allSettled(poolMembers(pool, servers).map(async (rig) => ({ id: rig.id, name: rig.name, transport: await createServerTransport(rig, clientId) })));
	const rigs = built.flatMap((b) => (b.status === 'fulfilled' ? [b.value] : []));
	if (rigs.length === 0) throw (built[0] as PromiseRejectedResult).reason;
	// Only pool users need the pool code: keep it out of the first screen's bundle.
	const [{ createPoolTransport }, { POOL_WORDS }] = await Promise.all([import('./pools/pool-transport'), import('./pools/pool-text')]);
	return createPoolTransport({ rigs, paused: pool.pool.paused, words: POOL_WORDS });
}
