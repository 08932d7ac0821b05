// Generate → outbox → job list, in Node against the emulator with the app's own classes (RunForm, RunJobs, Outbox)
// and IndexedDB (fake-indexeddb): runs made offline wait, are sent once, run, and their results are saved; a batch
// cut short by a server that stops answering keeps its rest in the outbox, the unanswered run under its own id.
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import WebSocket from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../../tools/comfy-emulator/server';
import { createDirectTransport, type ComfyTransport } from '$lib/comfy/transport';
import { randomId } from '$lib/comfy/ids';
import { RunForm } from '$lib/app/run/form.svelte';
import { RunJobs } from '$lib/app/run/jobs.svelte';
import { generate, type GenerateEnv } from '$lib/app/run/generate.service';
import { Outbox } from '$lib/app/outbox/outbox.svelte';
import { comfyTarget } from '$lib/app/outbox/comfy-target';
import { drainOutbox } from '$lib/app/outbox/sender';
import { handOver } from '$lib/app/outbox/hand-over';
import { addOutboxEntries, closeDb, listOutbox, listResults, saveWorkflow, updateOutboxEntry } from '$lib/storage';
import { loraPrompt, loraWorkflow } from '../run/fixtures';
import { mutex } from './fake';

let emulator: Emulator;
let transport: ComfyTransport;
let jobs: RunJobs;
/** While true, every request to the server fails as if it were unreachable. */
let away = false;
/** Set: the server becomes unreachable at the second POST /prompt. */
let awayFromSecondPost = false;
let posts = 0;

async function until(check: () => boolean, what: string, ms = 15_000): Promise<void> {
	const start = Date.now();
	while (!check()) {
		if (Date.now() - start > ms) throw new Error(`Timed out waiting for ${what}`);
		await new Promise((r) => setTimeout(r, 5));
	}
}

async function setUp(): Promise<RunForm> {
	globalThis.indexedDB = new IDBFactory();
	emulator = await startEmulator({ stepMs: 5 });
	const fetchThrough: typeof fetch = async (input, init) => {
		const url = String(input instanceof Request ? input.url : input);
		if (init?.method === 'POST' && url.endsWith('/api/prompt') && ++posts === 2 && awayFromSecondPost) away = true;
		if (away) throw new TypeError('fetch failed');
		return fetch(input, init);
	};
	transport = createDirectTransport({ baseUrl: emulator.url, clientId: randomId(), WebSocketImpl: WebSocket as unknown as typeof globalThis.WebSocket, fetch: fetchThrough });
	jobs = new RunJobs({ makeThumbnail: async () => null });
	await jobs.attach(transport, 'emulator');
	transport.events.connect();
	await until(() => transport.events.state.status === 'live', 'the socket');
	const objectInfo = await transport.api.getObjectInfo();
	const record = await saveWorkflow({ name: 'LoRA', source: { workflow: loraWorkflow as never, prompt: loraPrompt } });
	const form = new RunForm(record);
	form.load(record, objectInfo);
	for (const f of form.base!.fields) if ((f.kind === 'model' || f.kind === 'lora') && f.options?.length) form.setValue(f.id, f.options[0]);
	form.setValue(form.base!.fields.find((f) => f.input === 'steps')!.id, 3);
	return form;
}

const drain = () =>
	drainOutbox(comfyTarget({ serverId: 'emulator', api: transport.api, clientId: transport.clientId }), {
		store: { list: (id) => listOutbox(id), update: updateOutboxEntry },
		lock: mutex(),
		now: Date.now,
		settleMs: 0,
		onSent: (e) => handOver(jobs, e)
	});

afterEach(async () => {
	away = false;
	awayFromSecondPost = false;
	posts = 0;
	jobs.detach();
	transport.events.close();
	await emulator.close();
	await closeDb();
});

describe('Generate with the outbox', () => {
	it('offline, two Generates wait in the outbox; sent once each, they run and their results are saved', async () => {
		const form = await setUp();
		const outbox = new Outbox();
		const env: GenerateEnv = { serverId: 'emulator', status: 'live', online: false, outbox };
		const first = await generate(form, jobs, env, 1);
		const second = await generate(form, jobs, env, 1);
		expect(outbox.entries.map((e) => e.promptId)).toEqual([...first, ...second]);
		expect(jobs.jobs).toHaveLength(0);
		expect(emulator.queuedPromptIds()).toEqual([]);
		const sentCopies = (await listOutbox()).map((e) => ({ ...e, status: 'sent' as const }));

		expect((await drain()).sent).toBe(2);
		expect(emulator.queuedPromptIds()).toEqual([...first, ...second]);
		await until(() => jobs.jobs.length === 2 && jobs.jobs.every((j) => j.status === 'done'), 'both runs');
		const results = await listResults({ workflowId: form.workflowId });
		expect(results.map((r) => r.promptId).sort()).toEqual([...first, ...second].sort());
		expect(await listOutbox()).toEqual([]);
		// The hand-off repeated (a crash after the job list noted the runs, before the outbox let them go): neither
		// the job list nor the results take them twice.
		await addOutboxEntries(sentCopies);
		await drain();
		expect(await listOutbox()).toEqual([]);
		expect(jobs.jobs).toHaveLength(2);
		expect(await listResults({ workflowId: form.workflowId })).toHaveLength(2);
	});

	it('a batch cut short by a server that stops answering keeps the rest in the outbox; nothing runs twice', async () => {
		const form = await setUp();
		awayFromSecondPost = true;
		const outbox = new Outbox();
		const ids = await generate(form, jobs, { serverId: 'emulator', status: 'live', online: true, outbox }, 3);
		expect(ids).toHaveLength(3);
		const waiting = await listOutbox('emulator');
		expect(waiting.map((e) => e.status)).toEqual(['uncertain', 'queued']);
		// The unanswered run keeps the prompt_id it was sent with.
		expect(waiting.map((e) => e.promptId)).toEqual(ids.slice(1));
		expect(form.generalErrors).toEqual([]);

		away = false;
		await drain();
		await until(() => jobs.jobs.length === 3 && jobs.jobs.every((j) => j.status === 'done'), 'all three runs');
		expect(emulator.queuedPromptIds()).toEqual(ids);
	});
});
