// Saving a job's outputs from a real ComfyUI emulator into real IndexedDB (fake-indexeddb).
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../../tools/comfy-emulator/server';
import { ComfyApi } from '../../../src/lib/comfy/http';
import { saveRunResults } from '../../../src/lib/app/run/results.service';
import { closeDb, getWorkflow, saveWorkflow } from '../../../src/lib/storage';

let emulator: Emulator;
let api: ComfyApi;

beforeAll(async () => {
	emulator = await startEmulator();
	api = new ComfyApi({ baseUrl: emulator.url });
});
afterAll(async () => {
	await closeDb();
	await emulator.close();
});
beforeEach(async () => {
	await closeDb();
	globalThis.indexedDB = new IDBFactory();
});

const input = (filename: string) => ({ filename, subfolder: '', type: 'input' });

describe('saveRunResults', () => {
	it('fetches every output file in full, stores it with the parameters, and makes it the workflow picture', async () => {
		const workflow = await saveWorkflow({ name: 'W', source: { prompt: {} } });
		const thumb = new Blob(['small'], { type: 'image/webp' });
		const outcome = await saveRunResults({
			api,
			workflowId: workflow.id,
			promptId: 'p1',
			serverId: 'emu',
			values: { '3.seed': 7 },
			prompt: { '3': { class_type: 'KSampler', inputs: { seed: 7 } } },
			outputs: { '9': { images: [input('example.png')] } },
			makeThumbnail: async () => ({ blob: thumb, width: 512, height: 768 })
		});
		if (!outcome.ok || !outcome.result) throw new Error('not saved');
		const [file] = outcome.result.files;
		expect(file).toMatchObject({ kind: 'image', mime: 'image/png', filename: 'example.png', nodeId: '9', width: 512, height: 768 });
		expect(file.blob.size).toBeGreaterThan(100);
		expect(outcome.result.params.values).toEqual({ '3.seed': 7 });
		expect((await getWorkflow(workflow.id))?.thumbnail?.size).toBe(thumb.size);
	});

	it('names a file the server no longer has and still saves the others', async () => {
		const outcome = await saveRunResults({
			api,
			workflowId: 'w',
			promptId: 'p2',
			serverId: 'emu',
			values: {},
			prompt: {},
			outputs: { '9': { images: [input('gone.png'), input('example.png')] } },
			makeThumbnail: async () => null
		});
		expect(outcome.skipped).toHaveLength(1);
		expect(outcome.skipped[0]).toMatch(/^gone\.png: /);
		expect(outcome.ok && outcome.result?.files.map((f) => f.filename)).toEqual(['example.png']);
	});

	it('stores nothing for a job without file outputs', async () => {
		const outcome = await saveRunResults({ api, workflowId: 'w', promptId: 'p3', serverId: 'emu', values: {}, prompt: {}, outputs: { '5': { text: ['hi'] } } });
		expect(outcome).toEqual({ ok: true, result: null, skipped: [] });
	});
});
