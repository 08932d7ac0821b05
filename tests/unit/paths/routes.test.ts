import { describe, expect, it } from 'vitest';
import { isTailscaleAddress, routeKey, serverRoutes, withRoute, type ServerRecord } from '$lib/storage';
import { routeLabel } from '$lib/app/paths/route-label';
import { connectionLabel } from '$lib/components/shell/status-label';

const relayServer: ServerRecord = { id: 's1', kind: 'relay', name: 'Home', baseUrl: 'https://relay.example.com', deviceId: 'd1', token: 't1', createdAt: 1 };

describe('the ways in to a server', () => {
	it('lists the primary first, then the attached routes, without duplicates', () => {
		const server = withRoute(withRoute(relayServer, { kind: 'lan', baseUrl: 'http://192.168.1.20:8188' }), { kind: 'lan', baseUrl: 'http://192.168.1.20:8188/' });
		expect(serverRoutes(server).map(routeKey)).toEqual(['relay:https://relay.example.com', 'lan:http://192.168.1.20:8188']);
		expect(withRoute(server, { kind: 'relay', baseUrl: 'https://relay.example.com' })).toBe(server);
		expect(serverRoutes({ ...relayServer, routes: [{ kind: 'relay', baseUrl: 'https://RELAY.example.com/' }] })).toHaveLength(1);
	});
	it('names each way in for the pill', () => {
		expect(routeLabel({ kind: 'lan', baseUrl: 'http://192.168.1.20:8188' })).toBe('home Wi-Fi');
		expect(routeLabel({ kind: 'lan', baseUrl: 'https://pc.tail1234.ts.net' })).toBe('Tailscale');
		expect(routeLabel({ kind: 'lan', baseUrl: 'http://100.101.1.2:8188' })).toBe('Tailscale');
		expect(routeLabel({ kind: 'relay', baseUrl: 'https://relay.example.com' })).toBe('relay');
		expect(routeLabel({ kind: 'lan', baseUrl: 'http://10.0.0.2', label: 'office' })).toBe('office');
		expect(isTailscaleAddress('http://100.200.1.1')).toBe(false);
		expect(isTailscaleAddress('not a url')).toBe(false);
	});
	it('the pill says which path is in use on a server with several', () => {
		const base = { hasServer: true, online: true, status: 'live' as const, via: 'lan' as const, simulated: false, lastEventAt: null, now: 0 };
		expect(connectionLabel({ ...base, path: 'home Wi-Fi' })).toMatchObject({ text: 'via home Wi-Fi · live', title: 'Connected through home Wi-Fi' });
		expect(connectionLabel(base).text).toBe('LAN · live');
	});
});
