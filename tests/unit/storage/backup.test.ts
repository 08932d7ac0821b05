import { describe, expect, it } from 'vitest';
import {
	addResult,
	exportAll,
	getResult,
	getSetting,
	importAll,
	listServers,
	listWorkflows,
	saveServer,
	saveWorkflow,
	setSetting
} from '$lib/storage';
import { IDBFactory } from 'fake-indexeddb';
import { closeDb } from '$lib/storage';
import { pngBlob, useFreshDatabase } from './setup';

useFreshDatabase();

async function seed(): Promise<string> {
	const w = await saveWorkflow({ name: 'Portrait', source: { prompt: { '1': { class_type: 'X', inputs: {} } } }, thumbnail: pngBlob([7, 7]) });
	await saveServer({ kind: 'lan', name: 'Desk', baseUrl: 'http://192.168.1.5:8188' });
	await setSetting('theme', 'dark');
	const r = await addResult({
		workflowId: w.id,
		promptId: 'p1',
		serverId: 's',
		params: { values: {}, prompt: {} },
		files: [{ kind: 'image', mime: 'image/png', blob: pngBlob([0, 255, 128, 3]), filename: 'x.png', nodeId: '9' }]
	});
	return r.id;
}

async function emptyDevice(): Promise<void> {
	await closeDb();
	globalThis.indexedDB = new IDBFactory();
}

describe('export and import of everything', () => {
	it('round-trips workflows, results with their image bytes, servers and settings into an empty device', async () => {
		const resultId = await seed();
		const file = await exportAll();
		expect(file.type).toBe('application/json');
		await emptyDevice();
		const outcome = await importAll(file);
		expect(outcome).toEqual({ ok: true, counts: { workflows: 1, results: 1, servers: 1, settings: 1 } });
		const result = await getResult(resultId);
		expect(new Uint8Array(await result!.files[0].blob.arrayBuffer())).toEqual(new Uint8Array([0, 255, 128, 3]));
		expect(result!.files[0].blob.type).toBe('image/png');
		expect((await listWorkflows())[0].thumbnail).toBeInstanceOf(Blob);
		expect((await listServers())[0].baseUrl).toBe('http://192.168.1.5:8188');
		expect(await getSetting('theme')).toBe('dark');
	});

	it('merges into existing data, replacing records with the same id only', async () => {
		await seed();
		const file = await exportAll();
		await saveWorkflow({ name: 'Made after the backup', source: {} });
		expect((await importAll(file)).ok).toBe(true);
		expect((await listWorkflows()).map((w) => w.name).sort()).toEqual(['Made after the backup', 'Portrait']);
	});

	it('refuses a file that is not a backup with a clear message and changes nothing', async () => {
		await seed();
		const notJson = await importAll(new Blob(['{"nodes": ['], { type: 'application/json' }));
		expect(notJson).toEqual({ ok: false, error: 'This file is not a Comfy Pocket backup (it is not JSON).' });
		const workflow = await importAll(new Blob([JSON.stringify({ nodes: [], links: [] })]));
		expect(workflow).toEqual({ ok: false, error: 'This file is not a Comfy Pocket backup.' });
		expect(await listWorkflows()).toHaveLength(1);
	});

	it('refuses a backup from a newer app version and one with damaged sections', async () => {
		const newer = await importAll(new Blob([JSON.stringify({ format: 'comfy-pocket-backup', version: 99 })]));
		expect(newer.ok).toBe(false);
		expect(!newer.ok && newer.error).toMatch(/newer version/);
		const damaged = await importAll(
			new Blob([JSON.stringify({ format: 'comfy-pocket-backup', version: 1, workflows: [{ name: 'no id' }] })])
		);
		expect(damaged).toEqual({ ok: false, error: 'The backup\'s "workflows" section has entries without an id.' });
	});
});
