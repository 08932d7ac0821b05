// The one place a server record becomes a transport. A server with one way in gets that route's transport (direct
// LAN socket or relay); one with several (its LAN address, its relay, a Tailscale name) gets a SwitchingTransport
// that uses the fastest that answers and moves when the network changes (src/lib/app/paths/).
import { createDirectTransport, type ComfyTransport } from '$lib/comfy/transport';
import { routeKey, serverRoutes, type ServerRecord, type ServerRoute } from '$lib/storage';
import type { RouteTransport, SwitchingTransport } from './paths/switching-transport';

export async function createServerTransport(server: ServerRecord, clientId: string): Promise<ComfyTransport> {
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
	if (!route.deviceId || !route.token) throw new Error('This relay server is not paired any more. Pair it again from Settings.');
	// The relay code is only needed by relay users: keep it out of the first screen's bundle.
	const { createRelayTransport } = await import('$lib/relay/relay-transport');
	return createRelayTransport({ origin: route.baseUrl, deviceId: route.deviceId, token: route.token, rig: route.rig, fetch: fetchImpl });
}
