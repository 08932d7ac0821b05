// The outbox store and the version 1 → 2 upgrade: a device with data from before the outbox keeps all of it.
import { openDB } from 'idb';
import { describe, expect, it } from 'vitest';
import {
	addOutboxEntries,
	DB_NAME,
	deleteOutboxEntry,
	getServer,
	getSetting,
	getWorkflow,
	listOutbox,
	listResults,
	updateOutboxEntry
} from '$lib/storage';
import { entry } from '../outbox/fake';
import { pngBlob, useFreshDatabase } from './setup';

useFreshDatabase();

describe('outbox store', () => {
	it('upgrades a version 1 database without losing its workflows, results, servers and settings', async () => {
		// Exactly the schema version 1 created (src/lib/storage/db.ts before the outbox).
		const v1 = await openDB(DB_NAME, 1, {
			upgrade(database) {
				database.createObjectStore('workflows', { keyPath: 'id' }).createIndex('updatedAt', 'updatedAt');
				const results = database.createObjectStore('results', { keyPath: 'id' });
				results.createIndex('createdAt', 'createdAt');
				results.createIndex('workflowId', 'workflowId');
				results.createIndex('promptId', 'promptId');
				database.createObjectStore('servers', { keyPath: 'id' });
				database.createObjectStore('settings', { keyPath: 'key' });
			}
		});
		await v1.put('workflows', { id: 'w1', name: 'Old one', createdAt: 1, updatedAt: 1, source: { prompt: {} } });
		await v1.put('results', { id: 'r1', workflowId: 'w1', promptId: 'p1', createdAt: 2, serverId: 's1', params: { values: {}, prompt: {} }, files: [{ kind: 'image', mime: 'image/png', blob: pngBlob(), filename: 'a.png', nodeId: '9' }] });
		await v1.put('servers', { id: 's1', kind: 'lan', name: 'Desk', baseUrl: 'http://192.168.1.20:8188', createdAt: 3 });
		await v1.put('settings', { key: 'theme', value: 'dark' });
		v1.close();

		expect(await listOutbox()).toEqual([]);
		expect((await getWorkflow('w1'))?.name).toBe('Old one');
		expect((await listResults({ workflowId: 'w1' })).map((r) => r.id)).toEqual(['r1']);
		expect((await getServer('s1'))?.baseUrl).toBe('http://192.168.1.20:8188');
		expect(await getSetting('theme')).toBe('dark');
	});

	it('lists by server, oldest first, keeps blobs, and updates atomically', async () => {
		const upload = { value: 'a.png', fileName: 'a.png', blob: pngBlob([1, 2, 3]) };
		await addOutboxEntries([{ ...entry('b', 2), uploads: [upload] }, entry('a', 1), entry('c', 0, 's2')]);
		expect((await listOutbox('s1')).map((e) => e.promptId)).toEqual(['a', 'b']);
		expect((await listOutbox()).map((e) => e.promptId)).toEqual(['c', 'a', 'b']);
		const b = (await listOutbox('s1'))[1];
		expect(new Uint8Array(await b.uploads[0].blob.arrayBuffer())).toEqual(new Uint8Array([1, 2, 3]));

		const changed = await updateOutboxEntry('a', (e) => ({ ...e, status: 'sending' }));
		expect(changed?.status).toBe('sending');
		const unchanged = await updateOutboxEntry('a', () => undefined);
		expect(unchanged?.status).toBe('sending');
		expect(await updateOutboxEntry('missing', (e) => e)).toBeUndefined();
		await deleteOutboxEntry('a');
		expect((await listOutbox('s1')).map((e) => e.promptId)).toEqual(['b']);
	});
});
