// The session against the real ComfyUI emulator over HTTP and WebSocket (Node's `ws` as the browser WebSocket),
// with the device database in fake-indexeddb.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket as NodeWebSocket } from 'ws';
import { startEmulator, type Emulator } from '../../../tools/comfy-emulator/server';
import { getSetting, saveServer } from '$lib/storage';
import { OBJECT_INFO_CACHE_PREFIX, session } from '$lib/app/session.svelte';
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';

let emulator: Emulator;
let running = false;

// One database for the whole file: the cases follow one device through connect, server loss and a bad relay.
beforeAll(async () => {
	globalThis.indexedDB = new IDBFactory();
	(globalThis as { WebSocket?: unknown }).WebSocket = NodeWebSocket;
	emulator = await startEmulator({ port: 0 });
	running = true;
});

afterAll(async () => {
	session.disconnect();
	if (running) await emulator.close();
});

async function until(check: () => boolean, ms = 5000): Promise<void> {
	const end = Date.now() + ms;
	while (!check()) {
		if (Date.now() > end) throw new Error('timed out');
		await new Promise((r) => setTimeout(r, 20));
	}
}

describe('session', () => {
	it('connects to the stored LAN server, goes live, and caches /object_info on the device', async () => {
		const server = await saveServer({ kind: 'lan', name: 'Emulator', baseUrl: emulator.url });
		await session.start();
		expect(session.activeServer?.id).toBe(server.id);
		await until(() => session.connection.status === 'live');
		expect(session.connection.via).toBe('lan');
		expect(session.connection.lastEventAt).not.toBeNull();
		await until(() => session.objectInfoFrom === 'server');
		expect(Object.keys(session.objectInfo ?? {})).toContain('KSampler');
		const cached = await getSetting<Record<string, unknown>>(OBJECT_INFO_CACHE_PREFIX + server.id);
		expect(cached && 'KSampler' in cached).toBe(true);
	});

	it('opens forms from the cached /object_info when the server is gone', async () => {
		const id = session.activeServerId;
		session.disconnect();
		await saveServer({ kind: 'lan', name: 'Nowhere', baseUrl: 'http://127.0.0.1:9', createdAt: 0, id: 'nowhere' });
		await session.reloadServers('nowhere');
		expect(session.activeServer?.name).toBe('Nowhere');
		expect(session.objectInfo).toBeNull();
		session.disconnect();
		await emulator.close();
		running = false;
		await session.reloadServers(id ?? undefined);
		expect(session.activeServer?.name).toBe('Emulator');
		expect(session.objectInfoFrom).toBe('cache');
		expect(Object.keys(session.objectInfo ?? {})).toContain('KSampler');
	});

	it('reports a relay server without credentials instead of throwing', async () => {
		await saveServer({ kind: 'relay', name: 'Broken relay', baseUrl: 'https://relay.example', id: 'relay' });
		await session.reloadServers('relay');
		expect(session.connection.status).toBe('offline');
		expect(session.connection.error).toMatch(/not paired/);
	});
});
