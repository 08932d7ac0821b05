// A pool record becoming the app's transport (server-transport.ts) and what the session and the outbox make of it,
// against two real emulators (Node's `ws` as the browser WebSocket) and the device database in fake-indexeddb.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket as NodeWebSocket } from 'ws';
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { startEmulator, type Emulator } from '../../../tools/comfy-emulator/server';
import { createServerTransport } from '$lib/app/server-transport';
import { isPoolTransport, readyToRoute, rigNameOf } from '$lib/app/pools/pool-follow';
import { liveCount } from '$lib/app/pools/rig-view';
import { session } from '$lib/app/session.svelte';
import { saveServer, type PoolRecord, type ServerRecord } from '$lib/storage';
import type { ApiPrompt } from '$lib/comfy/types';
import type { ComfyTransport } from '$lib/comfy/transport';

let a: Emulator;
let b: Emulator;
let servers: ServerRecord[];
let pool: PoolRecord;
const open: ComfyTransport[] = [];

/** The smallest prompt every emulator runs. */
const PROMPT: ApiPrompt = {
	'1': { class_type: 'EmptyImage', inputs: { width: 64, height: 64, batch_size: 1, color: 0 } },
	'2': { class_type: 'PreviewImage', inputs: { images: ['1', 0] } }
};

beforeAll(async () => {
	globalThis.indexedDB = new IDBFactory();
	(globalThis as { WebSocket?: unknown }).WebSocket = NodeWebSocket;
	[a, b] = await Promise.all([startEmulator({ port: 0, stepMs: 5 }), startEmulator({ port: 0, stepMs: 5 })]);
	servers = [
		{ id: 'a', kind: 'lan', name: 'Desk', baseUrl: a.url, createdAt: 1 },
		{ id: 'b', kind: 'lan', name: 'Attic', baseUrl: b.url, createdAt: 2 }
	];
	pool = { id: 'p', kind: 'pool', name: 'Rigs', baseUrl: '', createdAt: 3, pool: { members: ['a', 'b'], paused: ['b'] } };
});

afterAll(async () => {
	session.disconnect();
	for (const t of open) t.events.close();
	await Promise.all([a.close(), b.close()]);
});

async function until(check: () => boolean, ms = 8000): Promise<void> {
	const end = Date.now() + ms;
	while (!check()) {
		if (Date.now() > end) throw new Error('timed out');
		await new Promise((r) => setTimeout(r, 20));
	}
}

describe('a pool record as the transport', () => {
	it('is refused with the reason when fewer than two of its servers are left', async () => {
		await expect(createServerTransport(pool, 'tab', servers.slice(0, 1))).rejects.toThrow('The pool "Rigs" has only one server left (Desk).');
	});

	it('becomes one pool transport over its servers, with the stored pause applied', async () => {
		const t = await createServerTransport(pool, 'tab', servers);
		open.push(t);
		expect(isPoolTransport(t)).toBe(true);
		if (!isPoolTransport(t)) return;
		t.events.connect();
		await until(() => t.rigs().every((r) => r.status === 'live'));
		expect(t.rigs().map((r) => [r.name, r.paused])).toEqual([
			['Desk', false],
			['Attic', true]
		]);
	});

	it('right after going live a pool cannot route yet; readyToRoute (the outbox does it first) makes it able to', async () => {
		const t = await createServerTransport({ ...pool, pool: { members: ['a', 'b'], paused: [] } }, 'tab', servers);
		open.push(t);
		if (!isPoolTransport(t)) throw new Error('not a pool');
		const sentAtLive = new Promise<unknown>((resolve) => {
			const off = t.events.subscribe((e) => {
				if (e.type !== 'connection' || e.state.status !== 'live') return;
				off();
				resolve(t.api.queuePrompt({ prompt: PROMPT, clientId: t.clientId }).catch((err: unknown) => err));
			});
		});
		t.events.connect();
		expect(String(await sentAtLive)).toMatch(/No rig of this pool has answered yet/);
		await readyToRoute(t);
		const { prompt_id } = await t.api.queuePrompt({ prompt: PROMPT, clientId: t.clientId });
		expect(['Desk', 'Attic']).toContain(rigNameOf(t, prompt_id));
	});
});

describe('the session on a pool', () => {
	it('connects to the active pool, lists its rigs and counts them for the pill', async () => {
		for (const s of [...servers, pool]) await saveServer(s);
		await session.start();
		await session.select('p');
		expect(session.connection.via).toBe('pool');
		await until(() => session.connection.status === 'live' && session.rigs.length === 2 && session.rigs.every((r) => r.status === 'live'));
		expect(liveCount(session.rigs)).toEqual({ live: 2, total: 2 });
		await until(() => session.objectInfoFrom === 'server');
		expect(Object.keys(session.objectInfo ?? {})).toContain('KSampler');
	});
});
