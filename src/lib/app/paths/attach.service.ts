// "Same ComfyUI?" offers (issue 12): a newly paired relay that reaches the same machine as a saved LAN server, or a
// LAN address that reaches the same machine as a paired relay, can be attached to it as another way in, so one
// server entry works at home and away. Matching is by serverFingerprint(/system_stats), not by address.
import { deleteServer, routeKey, saveServer, serverRoutes, withRoute, type ServerRecord, type ServerRoute } from '$lib/storage';
import { createRouteTransport } from '../server-transport';
import { serverFingerprint } from './fingerprint';
import { probeRoute } from './probe';

export interface AttachOffer {
	/** The server that gains the route. */
	target: ServerRecord;
	route: ServerRoute;
	/** The separate entry the route came from, removed once attached (none when the address was never saved). */
	fromServerId?: string;
}

async function fingerprintOf(route: ServerRoute): Promise<string | null> {
	try {
		const transport = await createRouteTransport(route, 'fingerprint');
		const probed = await probeRoute({ key: routeKey(route), kind: route.kind, systemStats: () => transport.api.systemStats() });
		return probed.stats ? serverFingerprint(probed.stats) : null;
	} catch {
		return null;
	}
}

/**
 * The saved servers of the other kind that answer with the same fingerprint as `route`. Servers that already have
 * that route, or this one, are skipped. Servers that do not answer now cannot be compared and are not offered.
 */
export async function findAttachOffers(route: ServerRoute, servers: readonly ServerRecord[], fromServerId?: string): Promise<AttachOffer[]> {
	const candidates = servers.filter((s) => s.id !== fromServerId && s.kind !== route.kind && s.kind !== 'pool' && !serverRoutes(s).some((r) => routeKey(r) === routeKey(route)));
	if (candidates.length === 0) return [];
	const mine = await fingerprintOf(route);
	if (!mine) return [];
	const theirs = await Promise.all(candidates.map((s) => fingerprintOf(serverRoutes(s)[0])));
	return candidates.filter((_, i) => theirs[i] === mine).map((target) => ({ target, route, fromServerId }));
}

/** Saves the route on its target and removes the separate entry it came from. Returns the updated server. */
export async function acceptAttachOffer(offer: AttachOffer): Promise<ServerRecord> {
	const updated = await saveServer(withRoute(offer.target, offer.route));
	if (offer.fromServerId && offer.fromServerId !== offer.target.id) await deleteServer(offer.fromServerId, offer.target.id);
	return updated;
}
