// Settings' pool actions against the device database (fake-indexeddb) and the session, with the ComfyUI emulator
// standing in for the rigs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket as NodeWebSocket } from 'ws';
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { startEmulator, type Emulator } from '../../../tools/comfy-emulator/server';
import { getServer, saveServer, type ServerRecord } from '$lib/storage';
import { session } from '$lib/app/session.svelte';
import { removeServer } from '$lib/app/servers.service';
import { createPool, deletePool, renamePool, setPoolMembers, setRigPaused } from '$lib/app/pools/pools.service';

let emulator: Emulator;
let desk: ServerRecord;
let attic: ServerRecord;
let cloud: ServerRecord;

beforeAll(async () => {
	globalThis.indexedDB = new IDBFactory();
	(globalThis as { WebSocket?: unknown }).WebSocket = NodeWebSocket;
	emulator = await startEmulator({ port: 0, stepMs: 5 });
	desk = await saveServer({ kind: 'lan', name: 'Desk', baseUrl: emulator.url, createdAt: 1 });
	attic = await saveServer({ kind: 'lan', name: 'Attic', baseUrl: `${emulator.url}/`, createdAt: 2 });
	cloud = await saveServer({ kind: 'lan', name: 'Cloud', baseUrl: `${emulator.url}//`, createdAt: 3 });
	await session.start();
});

afterAll(async () => {
	session.disconnect();
	await emulator.close();
});

describe('pool actions', () => {
	it('refuses a pool of one server or without a name, in words, and stores nothing', async () => {
		await expect(createPool('Rigs', [desk.id])).rejects.toThrow('A pool needs at least 2 servers: pick 1 more.');
		await expect(createPool('  ', [desk.id, attic.id])).rejects.toThrow('Give the pool a name.');
		expect(session.servers.filter((s) => s.kind === 'pool')).toEqual([]);
	});

	it('creates a pool of two servers without making it active; rename and change its rigs', async () => {
		const active = session.activeServerId;
		const pool = await createPool(' Rigs ', [desk.id, attic.id]);
		expect(session.activeServerId).toBe(active);
		expect(session.servers.find((s) => s.id === pool.id)).toMatchObject({ kind: 'pool', name: 'Rigs', pool: { members: [desk.id, attic.id], paused: [] } });
		await renamePool(pool.id, 'Home rigs');
		await setPoolMembers(pool.id, [desk.id, attic.id, cloud.id]);
		expect(await getServer(pool.id)).toMatchObject({ name: 'Home rigs', pool: { members: [desk.id, attic.id, cloud.id] } });
		await expect(setPoolMembers(pool.id, [pool.id, desk.id])).rejects.toThrow('A pool cannot hold itself.');
	});

	it('stores a paused rig, and refuses to pause a server outside the pool', async () => {
		const pool = session.servers.find((s) => s.kind === 'pool')!;
		await setRigPaused(pool.id, attic.id, true);
		expect((await getServer(pool.id))!.pool!.paused).toEqual([attic.id]);
		await setRigPaused(pool.id, attic.id, false);
		expect((await getServer(pool.id))!.pool!.paused).toEqual([]);
		await expect(setRigPaused(pool.id, 'elsewhere', true)).rejects.toThrow('not in the pool any more');
	});

	it('removing a server takes it out of the pool; deleting the pool keeps its servers', async () => {
		const pool = session.servers.find((s) => s.kind === 'pool')!;
		await removeServer(cloud.id);
		expect(session.servers.find((s) => s.id === pool.id)!.pool!.members).toEqual([desk.id, attic.id]);
		await deletePool(pool.id);
		expect(session.servers.map((s) => s.name)).toEqual(['Desk', 'Attic']);
		await expect(deletePool(pool.id)).rejects.toThrow('This pool no longer exists.');
	});
});
