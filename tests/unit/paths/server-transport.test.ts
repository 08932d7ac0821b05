import { afterEach, describe, expect, it, vi } from 'vitest';
import { createServerTransport } from '$lib/app/server-transport';
import { SwitchingTransport } from '$lib/app/paths/switching-transport';
import type { ServerRecord } from '$lib/storage';

const relay: ServerRecord = { id: 's1', kind: 'relay', name: 'Relay', baseUrl: 'https://relay.example.com', deviceId: 'd1', token: 't1', createdAt: 1 };
const withLan: ServerRecord = { ...relay, routes: [{ kind: 'lan', baseUrl: 'http://192.168.1.20:8188' }] };

afterEach(() => vi.restoreAllMocks());

describe('createServerTransport', () => {
	it('gives a server with one way in that route’s own transport, as before', async () => {
		const t = await createServerTransport({ ...relay, kind: 'lan', baseUrl: 'http://192.168.1.20:8188' }, 'tab');
		expect(t).not.toBeInstanceOf(SwitchingTransport);
		expect(t.kind).toBe('direct');
		expect((await createServerTransport(relay, 'tab')).kind).toBe('relay');
	});

	it('gives a server with several a switching transport, direct routes first', async () => {
		const t = await createServerTransport(withLan, 'tab');
		expect(t).toBeInstanceOf(SwitchingTransport);
		expect((t as SwitchingTransport).routes.map((r) => r.route.kind)).toEqual(['lan', 'relay']);
		// Before any probe answered, calls go to the first route.
		expect(t.api.baseUrl).toBe('http://192.168.1.20:8188');
		expect(t.clientId).toBe('tab');
	});

	it('skips a relay route whose pairing is gone and keeps the other way in', async () => {
		const t = await createServerTransport({ ...withLan, token: undefined }, 'tab');
		expect(t).not.toBeInstanceOf(SwitchingTransport);
		expect(t.api.baseUrl).toBe('http://192.168.1.20:8188');
		await expect(createServerTransport({ ...relay, token: undefined }, 'tab')).rejects.toThrow('not paired any more');
	});

	it('a request that fails on the network makes the transport look for another way in', async () => {
		vi.spyOn(globalThis, 'fetch').mockRejectedValue(new TypeError('Failed to fetch'));
		const trigger = vi.spyOn(SwitchingTransport.prototype, 'trigger').mockResolvedValue();
		const t = await createServerTransport(withLan, 'tab');
		await expect(t.api.features()).rejects.toThrow();
		expect(trigger).toHaveBeenCalledWith('request-failed', 'lan:http://192.168.1.20:8188');
	});
});
