// The run controller end to end in Node: the real ComfyUI emulator, the real ComfySocket over `ws`, the real
// JobTracker and real IndexedDB storage (fake-indexeddb). Only thumbnails are skipped (no image decoder in Node).
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import WebSocket from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../../tools/comfy-emulator/server';
import { createDirectTransport, type ComfyTransport } from '../../../src/lib/comfy/transport';
import { randomId } from '../../../src/lib/comfy/ids';
import type { ObjectInfo } from '../../../src/lib/comfy/types';
import { RunForm } from '../../../src/lib/app/run/form.svelte';
import { RunJobs, type RunJob } from '../../../src/lib/app/run/jobs.svelte';
import { generate } from '../../../src/lib/app/run/generate.service';
import { closeDb, listResults, saveWorkflow } from '../../../src/lib/storage';
import { loraPrompt, loraWorkflow } from './fixtures';

let emulator: Emulator;
let transport: ComfyTransport;
let jobs: RunJobs;

async function until(check: () => boolean, what: string, ms = 15_000): Promise<void> {
	const start = Date.now();
	while (!check()) {
		if (Date.now() - start > ms) throw new Error(`Timed out waiting for ${what}`);
		await new Promise((r) => setTimeout(r, 5));
	}
}

async function connect(stepMs: number, failNodes?: string[]): Promise<ObjectInfo> {
	globalThis.indexedDB = new IDBFactory();
	emulator = await startEmulator({ stepMs, failNodes });
	transport = createDirectTransport({ baseUrl: emulator.url, clientId: randomId(), WebSocketImpl: WebSocket as unknown as typeof globalThis.WebSocket });
	jobs = new RunJobs({ makeThumbnail: async () => null });
	await jobs.attach(transport, 'emulator');
	transport.events.connect();
	await until(() => transport.events.state.status === 'live', 'the socket');
	return transport.api.getObjectInfo();
}

async function openForm(objectInfo: ObjectInfo): Promise<RunForm> {
	const record = await saveWorkflow({ name: 'LoRA', source: { workflow: loraWorkflow as never, prompt: loraPrompt } });
	const form = new RunForm(record);
	form.load(record, objectInfo);
	for (const f of form.base!.fields) if ((f.kind === 'model' || f.kind === 'lora') && f.options?.length) form.setValue(f.id, f.options[0]);
	form.setValue(form.base!.fields.find((f) => f.input === 'steps')!.id, 6);
	return form;
}

const env = () => ({ serverId: 'emulator', status: transport.events.state.status, online: true });
const statuses = (list: readonly RunJob[]) => list.map((j) => j.status);

afterEach(async () => {
	jobs.detach();
	transport.events.close();
	await emulator.close();
	await closeDb();
});

describe('RunJobs against the emulator', () => {
	it('runs a batch of two with live previews and step progress, and stores both results with their parameters', async () => {
		const form = await openForm(await connect(15));
		const frames = new Set<number>();
		const steps = new Set<string>();
		const ids = await generate(form, jobs, env(), 2);
		expect(ids).toHaveLength(2);
		await until(() => {
			if (jobs.preview) frames.add(jobs.preview.at);
			const running = jobs.running;
			if (running?.step) steps.add(`${running.promptId}:${running.step.value}`);
			return jobs.jobs.every((j) => j.status === 'done');
		}, 'both jobs to finish');
		expect(frames.size).toBeGreaterThan(2);
		expect(steps.size).toBeGreaterThan(2);
		expect(jobs.jobs.every((j) => j.progress === 1)).toBe(true);
		const results = await listResults({ workflowId: form.workflowId });
		expect(results.map((r) => r.promptId).sort()).toEqual([...ids].sort());
		const seed = form.base!.fields.find((f) => f.kind === 'seed')!;
		const seeds = results.map((r) => r.params.values[seed.id]);
		expect(new Set(seeds).size).toBe(2);
		for (const r of results) {
			expect(r.files[0].kind).toBe('image');
			expect(r.files[0].blob.size).toBeGreaterThan(100);
			expect(r.params.prompt[seed.nodeId].inputs.seed).toBe(r.params.values[seed.id]);
		}
	});

	it('Stop interrupts our running job, cancels our pending ones, and the next job still runs', async () => {
		const form = await openForm(await connect(60));
		const first = await generate(form, jobs, env(), 3);
		await until(() => jobs.running?.step !== null && jobs.running?.step !== undefined, 'the first job to step');
		await jobs.stop(form.workflowId);
		await until(() => jobs.active.length === 0, 'everything to end');
		expect(statuses(jobs.jobs)).toEqual(['stopped', 'cancelled', 'cancelled']);
		expect(emulator.history()[first[0]]?.status.status_str).toBe('error');
		expect(first.slice(1).some((id) => id in emulator.history())).toBe(false);

		const [next] = await generate(form, jobs, env(), 1);
		await until(() => jobs.jobs.find((j) => j.promptId === next)?.status === 'done', 'the next job');
		expect((await listResults({ workflowId: form.workflowId })).map((r) => r.promptId)).toEqual([next]);
	});

	it('Stop also interrupts a job of ours that the server started before this phone heard of it', async () => {
		const form = await openForm(await connect(30));
		const ids = await generate(form, jobs, env(), 3);
		await until(() => jobs.running?.promptId === ids[0], 'the first job to run');
		// Deaf for a moment (a phone waking up): the server moves on to the second job while we still think it queued.
		transport.events.close();
		let serverRunning: string | undefined;
		while (serverRunning !== ids[1]) {
			serverRunning = (await transport.api.getQueue()).queue_running[0]?.[1];
			await new Promise((r) => setTimeout(r, 5));
		}
		expect(jobs.jobs.find((j) => j.promptId === ids[1])?.status).toBe('queued');
		await jobs.stop(form.workflowId);
		transport.events.connect();
		await until(() => jobs.active.length === 0, 'everything to end');
		expect(emulator.history()[ids[1]]?.status.status_str).toBe('error');
		expect(ids[2] in emulator.history()).toBe(false);
		expect(statuses(jobs.jobs)).toEqual(['done', 'stopped', 'cancelled']);
	});

	it('cancelling one queued job removes only it; the running one finishes', async () => {
		const form = await openForm(await connect(20));
		const [first, second] = await generate(form, jobs, env(), 2);
		await until(() => jobs.running?.promptId === first, 'the first job to run');
		await jobs.cancel(second);
		await until(() => jobs.active.length === 0, 'the first job to end');
		expect(jobs.jobs.map((j) => [j.promptId, j.status])).toEqual([
			[first, 'done'],
			[second, 'cancelled']
		]);
		expect(second in emulator.history()).toBe(false);
	});

	it('a value the server refuses comes back on the field it concerns, and nothing is queued', async () => {
		const objectInfo = await connect(10);
		// The client believes a larger maximum than the server enforces, so only the server can catch it.
		const lenient = structuredClone(objectInfo);
		const stepsSpec = lenient.KSampler.input.required!.steps;
		stepsSpec[1] = { ...stepsSpec[1], max: 1_000_000 };
		const form = await openForm(lenient);
		const steps = form.base!.fields.find((f) => f.input === 'steps')!;
		form.setValue(steps.id, 20_000);
		const ids = await generate(form, jobs, env(), 2);
		expect(ids).toEqual([]);
		expect(form.fieldErrors[steps.id]?.join(' ')).toMatch(/20000|max/i);
		expect(jobs.jobs).toHaveLength(0);
	});

	it('a job submitted before the app was reloaded is tracked again and its result still saved', async () => {
		const form = await openForm(await connect(30));
		const [promptId] = await generate(form, jobs, env(), 1);
		await jobs.flushed();
		// The "reload": this controller is gone before the job ends; a new one starts from the device's notes.
		jobs.detach();
		jobs = new RunJobs({ makeThumbnail: async () => null });
		await jobs.attach(transport, 'emulator');
		expect(jobs.jobs.map((j) => j.promptId)).toEqual([promptId]);
		await until(() => jobs.jobs[0]?.status === 'done', 'the resumed job');
		expect((await listResults({ workflowId: form.workflowId })).map((r) => r.promptId)).toEqual([promptId]);
		await jobs.flushed();
		const fresh = new RunJobs();
		await fresh.attach(transport, 'emulator');
		expect(fresh.jobs).toEqual([]);
		fresh.detach();
	});

	it('sends the UI workflow with the run’s values for desktop ComfyUI, and no previews when they are off', async () => {
		const form = await openForm(await connect(10));
		const seed = form.base!.fields.find((f) => f.kind === 'seed')!;
		const [promptId] = await generate(form, jobs, { ...env(), previews: false }, 1);
		await until(() => jobs.jobs[0]?.status === 'done', 'the job');
		const extra = emulator.history()[promptId].prompt[3];
		expect(extra.preview_method).toBe('none');
		// The relay titles its push notification with it.
		expect(extra.comfy_pocket_title).toBe(form.name);
		expect(form.name).not.toBe('');
		const workflow = (extra.extra_pnginfo as { workflow: { nodes: { id: number; widgets_values?: unknown[] }[] } }).workflow;
		const sampler = workflow.nodes.find((n) => String(n.id) === seed.nodeId)!;
		const sent = (await listResults({ workflowId: form.workflowId }))[0].params.values[seed.id];
		expect(sampler.widgets_values?.[0]).toBe(sent);
	});

	it('Generate without a live server says it needs the server and sends nothing', async () => {
		const form = await openForm(await connect(10));
		const ids = await generate(form, jobs, { serverId: 'emulator', status: 'offline', online: false }, 1);
		expect(ids).toEqual([]);
		expect(form.generalErrors.join(' ')).toMatch(/needs the server/);
	});
});

describe('RunJobs tells onEnd listeners how each job ended (for the Done alerts)', () => {
	type Ended = { job: RunJob; files: string[] | null };
	const listen = () => {
		const ended: Ended[] = [];
		jobs.onEnd((job, result) => ended.push({ job, files: result ? result.files.map((f) => f.kind) : null }));
		return ended;
	};

	it('reports each finished job once, after its result is saved, with the saved files', async () => {
		const form = await openForm(await connect(10));
		const ended = listen();
		const ids = await generate(form, jobs, env(), 2);
		await until(() => ended.length === 2, 'both ends');
		expect(ended.map((e) => [e.job.promptId, e.job.status, e.job.resultId !== null, e.job.workflowId])).toEqual(ids.map((id) => [id, 'done', true, form.workflowId]));
		expect(ended.map((e) => e.files)).toEqual([['image'], ['image']]);
		await jobs.flushed();
		expect(ended).toHaveLength(2);
	});

	it('marks a run the user stopped as such, and says nothing of the queued runs Stop cancelled', async () => {
		const form = await openForm(await connect(40));
		const ended = listen();
		await generate(form, jobs, env(), 3);
		await until(() => jobs.running?.step != null, 'the first job to step');
		await jobs.stop(form.workflowId);
		await until(() => jobs.active.length === 0, 'everything to end');
		expect(ended.map((e) => [e.job.status, e.job.cancelRequested, e.files])).toEqual([['stopped', true, null]]);
	});

	it('reports a run interrupted from elsewhere (another ComfyUI client) as stopped, not by this user', async () => {
		const form = await openForm(await connect(40));
		const ended = listen();
		await generate(form, jobs, env(), 1);
		await until(() => jobs.running?.step != null, 'the job to step');
		await transport.api.interrupt();
		await until(() => ended.length === 1, 'the end');
		expect([ended[0].job.status, ended[0].job.cancelRequested]).toEqual(['stopped', false]);
	});

	it('reports a failed run with its error already set', async () => {
		const form = await openForm(await connect(10, ['KSampler']));
		const ended = listen();
		await generate(form, jobs, env(), 1);
		await until(() => ended.length === 1, 'the end');
		expect(ended[0].job.status).toBe('failed');
		expect(ended[0].job.error).toMatch(/emulated failure of KSampler/);
		expect(ended[0].files).toBeNull();
	});
});
