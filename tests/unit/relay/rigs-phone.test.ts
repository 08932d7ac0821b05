// The phone's side of a relay with several rigs, without a relay: the rig's paths, the routes and server records
// pairing makes (one per rig), and reading `/relay/rigs`.
import { describe, expect, it } from 'vitest';
import { fetchRigNames, pairedServers } from '../../../src/lib/relay/pairing';
import { rigPrefix } from '../../../src/lib/relay/protocol';
import { createRelayTransport } from '../../../src/lib/relay/relay-transport';
import { routeKey, serverRoutes } from '../../../src/lib/storage/routes';
import type { ServerRecord } from '../../../src/lib/storage/types';

const ORIGIN = 'https://pocket.example.com';

/** A fetch that records every URL and answers from `answer`. */
function recordingFetch(answer: (url: string) => Response = () => Response.json({})) {
	const urls: string[] = [];
	const impl = (async (input: RequestInfo | URL) => {
		const url = String(input instanceof Request ? input.url : input);
		urls.push(url);
		return answer(url);
	}) as typeof fetch;
	return { urls, impl };
}

describe('rig paths', () => {
	it('are the plain relay paths for the default rig and /relay/rig/<name> for another', () => {
		expect(rigPrefix()).toBe('/relay');
		expect(rigPrefix('default')).toBe('/relay');
		expect(rigPrefix('attic-2')).toBe('/relay/rig/attic-2');
	});

	it('carry the relay transport’s API calls and socket ticket for a rig', async () => {
		const { urls, impl } = recordingFetch((url) => (url.endsWith('/ticket') ? Response.json({ ticket: 't1', expiresAt: 0 }) : Response.json({ system: {}, devices: [] })));
		const opened: string[] = [];
		class FakeSocket extends EventTarget {
			binaryType = 'blob';
			readyState = 0;
			constructor(url: string) {
				super();
				opened.push(url);
			}
			send(): void {}
			close(): void {}
		}
		const attic = createRelayTransport({ origin: `${ORIGIN}/`, deviceId: 'd1', token: 'd1.secret', rig: 'attic', fetch: impl, WebSocketImpl: FakeSocket as unknown as typeof WebSocket });
		await attic.api.systemStats();
		attic.events.connect();
		await expect.poll(() => opened.length).toBe(1);
		attic.events.close();
		expect(urls).toEqual([`${ORIGIN}/relay/rig/attic/api/api/system_stats`, `${ORIGIN}/relay/rig/attic/ticket`]);
		expect(opened[0]).toBe('wss://pocket.example.com/relay/rig/attic/ws?ticket=t1');

		const plain = recordingFetch(() => Response.json({ system: {}, devices: [] }));
		await createRelayTransport({ origin: ORIGIN, deviceId: 'd1', token: 'd1.secret', fetch: plain.impl }).api.systemStats();
		expect(plain.urls).toEqual([`${ORIGIN}/relay/api/api/system_stats`]);
	});

	it('make two rigs of one relay two routes, and keep a server’s rig on its primary route', () => {
		const server: ServerRecord = { id: 's1', kind: 'relay', name: 'Relay · attic', baseUrl: ORIGIN, deviceId: 'd1', token: 't', rig: 'attic', createdAt: 0 };
		expect(serverRoutes(server)).toEqual([{ kind: 'relay', baseUrl: ORIGIN, deviceId: 'd1', token: 't', rig: 'attic' }]);
		expect(routeKey(server)).not.toBe(routeKey({ kind: 'relay', baseUrl: ORIGIN }));
		expect(routeKey({ kind: 'relay', baseUrl: `${ORIGIN}/` })).toBe(routeKey({ kind: 'relay', baseUrl: ORIGIN }));
		const withDefault = { ...server, routes: [{ kind: 'relay' as const, baseUrl: ORIGIN, deviceId: 'd1', token: 't' }] };
		expect(serverRoutes(withDefault)).toHaveLength(2);
	});
});

describe('pairing with a relay of several rigs', () => {
	const paired = { origin: ORIGIN, deviceId: 'd1', token: 'd1.secret' };

	it('reads the rig names from /relay/rigs with the new token, default first', async () => {
		const { urls, impl } = recordingFetch(() =>
			Response.json({
				rigs: [
					{ name: 'default', default: true, upstream: { status: 'live' } },
					{ name: 'attic', default: false, upstream: { status: 'idle' } },
					{ name: 'garage', default: false, upstream: { status: 'backoff' } }
				]
			})
		);
		expect(await fetchRigNames(`${ORIGIN}/`, paired.token, impl)).toEqual(['default', 'attic', 'garage']);
		expect(urls).toEqual([`${ORIGIN}/relay/rigs`]);
	});

	it('falls back to the default rig alone for a relay before rigs, a failure, or a list it cannot use', async () => {
		expect(await fetchRigNames(ORIGIN, 't', recordingFetch(() => new Response(null, { status: 404 })).impl)).toEqual(['default']);
		expect(await fetchRigNames(ORIGIN, 't', (async () => Promise.reject(new TypeError('offline'))) as typeof fetch)).toEqual(['default']);
		expect(await fetchRigNames(ORIGIN, 't', recordingFetch(() => new Response('<html>')).impl)).toEqual(['default']);
		const odd = recordingFetch(() => Response.json({ rigs: [{ name: '../x' }, { name: 'Attic' }, { name: 'ok' }, { name: 'ok' }, null, { name: 'default', default: false }] }));
		expect(await fetchRigNames(ORIGIN, 't', odd.impl)).toEqual(['default', 'ok']);
	});

	it('makes one server per rig: the default rig under the relay’s name, the others as "<name> · <rig>"', () => {
		expect(pairedServers(paired, 'Relay pocket.example.com', ['default', 'attic', 'garage'])).toEqual([
			{ kind: 'relay', name: 'Relay pocket.example.com', baseUrl: ORIGIN, deviceId: 'd1', token: 'd1.secret' },
			{ kind: 'relay', name: 'Relay pocket.example.com · attic', baseUrl: ORIGIN, deviceId: 'd1', token: 'd1.secret', rig: 'attic' },
			{ kind: 'relay', name: 'Relay pocket.example.com · garage', baseUrl: ORIGIN, deviceId: 'd1', token: 'd1.secret', rig: 'garage' }
		]);
		expect(pairedServers(paired, 'Home', ['default'])).toEqual([{ kind: 'relay', name: 'Home', baseUrl: ORIGIN, deviceId: 'd1', token: 'd1.secret' }]);
	});
});
