// The outbox end to end in Node against the ComfyUI emulator: the real ComfyApi, the IndexedDB store (fake-indexeddb),
// the real sender. Runs queued while the server was away go once each; a send whose answer is lost is asked about
// and not sent again; a refusal comes back with its node errors; a picture chosen offline is uploaded on send.
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../../tools/comfy-emulator/server';
import { ComfyApi } from '$lib/comfy/http';
import type { ApiPrompt } from '$lib/comfy/types';
import { addOutboxEntries, closeDb, getOutboxEntry, listOutbox, updateOutboxEntry, type OutboxRecord } from '$lib/storage';
import { comfyTarget } from '$lib/app/outbox/comfy-target';
import { drainOutbox, type SenderOptions } from '$lib/app/outbox/sender';
import { DeferredUploads } from '$lib/app/outbox/deferred-uploads';
import { entry, mutex } from './fake';
import { readFileSync } from 'node:fs';
import path from 'node:path';

let emulator: Emulator;
let api: ComfyApi;
const sent: string[] = [];

function slowNoise(seed: number): ApiPrompt {
	return {
		'1': { class_type: 'SlowNoiseImage', inputs: { steps: 2, seed, width: 64, height: 64, text: 'a cat', delay_ms: 0, preview_format: 'JPEG' } },
		'2': { class_type: 'SaveImage', inputs: { images: ['1', 0], filename_prefix: 'outbox' } }
	};
}

function record(id: string, at: number, prompt: ApiPrompt): OutboxRecord {
	return { ...entry(id, at, 'emu'), prompt };
}

const options = (settleMs = 0): SenderOptions => ({
	store: { list: (serverId) => listOutbox(serverId), update: updateOutboxEntry },
	lock: mutex(),
	now: Date.now,
	settleMs,
	onSent: (e) => void sent.push(e.promptId)
});

const target = () => comfyTarget({ serverId: 'emu', api, clientId: 'outbox-test' });

async function until(check: () => boolean, what: string): Promise<void> {
	const start = Date.now();
	while (!check()) {
		if (Date.now() - start > 10_000) throw new Error(`Timed out waiting for ${what}`);
		await new Promise((r) => setTimeout(r, 10));
	}
}

const PROFILES = ['0.3.64', '2026'] as const;
let profile: (typeof PROFILES)[number] = '0.3.64';

beforeEach(async () => {
	globalThis.indexedDB = new IDBFactory();
	emulator = await startEmulator({ stepMs: 1, profile });
	api = new ComfyApi({ baseUrl: emulator.url, timeoutMs: 5000 });
	sent.length = 0;
});

afterEach(async () => {
	await emulator.close();
	await closeDb();
});

const A = '11111111-1111-4111-8111-111111111111';
const B = '22222222-2222-4222-8222-222222222222';

describe.each(PROFILES)('outbox against the emulator (%s)', (name) => {
	beforeAll(() => {
		profile = name;
	});

	it('sends two waiting runs once each, with their own prompt ids, and they run', async () => {
		await addOutboxEntries([record(A, 1, slowNoise(1)), record(B, 2, slowNoise(2))]);
		const report = await drainOutbox(target(), options());
		expect(report).toEqual({ sent: 2, retryInMs: null, interrupted: false });
		expect(emulator.queuedPromptIds()).toEqual([A, B]);
		expect(sent).toEqual([A, B]);
		expect((await getOutboxEntry(A))?.status).toBe('sent');
		await until(() => A in emulator.history() && B in emulator.history(), 'both runs to finish');
		// A second pass finds nothing to send.
		await drainOutbox(target(), options());
		expect(emulator.queuedPromptIds()).toEqual([A, B]);
	});

	it('a send whose answer is lost is asked about, found, and not sent again', async () => {
		await addOutboxEntries([record(A, 1, slowNoise(3)), record(B, 2, slowNoise(4))]);
		emulator.losePromptAnswers(1);
		const first = await drainOutbox(target(), options(60_000));
		expect(first.interrupted).toBe(true);
		expect(first.retryInMs).toBe(60_000);
		expect((await getOutboxEntry(A))?.status).toBe('uncertain');
		expect((await getOutboxEntry(B))?.status).toBe('queued');
		// Too early to ask: nothing is sent for A, B waits behind it.
		await drainOutbox(target(), options(60_000));
		expect(emulator.queuedPromptIds()).toEqual([A, B]);
		expect((await getOutboxEntry(A))?.status).toBe('uncertain');

		// A has run by now (on 0.3.64 a still-running A would be found in /queue, and /history never asked).
		await until(() => A in emulator.history(), 'the lost send to finish');
		const second = await drainOutbox(target(), options(0));
		expect(second.sent).toBe(2);
		expect(emulator.queuedPromptIds()).toEqual([A, B]);
		expect((await getOutboxEntry(A))?.status).toBe('sent');
		// Asked the way this server generation allows: the job API on 0.33, the queue and history on 0.3.64.
		const asked = emulator.requests().filter((r) => r.includes(A));
		expect(asked).toEqual(name === '2026' ? [`GET /api/jobs/${A}`] : [`GET /api/history/${A}`]);
	});

	it('without the check, ComfyUI would run the same id twice (why the outbox asks first)', async () => {
		await api.queuePrompt({ prompt: slowNoise(5), clientId: 'x', promptId: A });
		await api.queuePrompt({ prompt: slowNoise(5), clientId: 'x', promptId: A });
		expect(emulator.queuedPromptIds()).toEqual([A, A]);
	});

	it('a run the server refuses comes back failed with the node errors, and nothing is queued', async () => {
		const bad = slowNoise(6);
		delete (bad['1'].inputs as Record<string, unknown>).steps;
		await addOutboxEntries([record(A, 1, bad)]);
		await drainOutbox(target(), options());
		const failed = await getOutboxEntry(A);
		expect(failed?.status).toBe('failed');
		expect(failed?.error?.kind).toBe('rejected');
		expect(Object.keys(failed?.error?.nodeErrors ?? {})).toEqual(['1']);
		expect(emulator.queuedPromptIds()).toEqual([]);
	});

	it('a picture chosen offline is uploaded when the run is sent, and the prompt names the upload', async () => {
		const png = new Blob([readFileSync(path.resolve('tests/fixtures/corpus/media/lora_multiple.png'))], { type: 'image/png' });
		const deferred = new DeferredUploads();
		const value = deferred.hold(png, 'phone-photo.png');
		const prompt: ApiPrompt = {
			'1': { class_type: 'LoadImage', inputs: { image: value } },
			'2': { class_type: 'SaveImage', inputs: { images: ['1', 0], filename_prefix: 'outbox' } }
		};
		const uploads = deferred.usedBy(prompt);
		expect(uploads.map((u) => u.fileName)).toEqual(['phone-photo.png']);
		await addOutboxEntries([{ ...record(A, 1, prompt), uploads }]);
		await drainOutbox(target(), options());
		const done = await getOutboxEntry(A);
		expect(done?.status).toBe('sent');
		expect(done?.uploads).toEqual([]);
		await until(() => A in emulator.history(), 'the run');
		const ran = emulator.history()[A].prompt[2] as ApiPrompt;
		expect(ran['1'].inputs.image).toBe('phone-photo.png');
		expect(readFileSync(path.join(emulator.dataDir, 'input', 'phone-photo.png')).length).toBe(png.size);
	});
});
