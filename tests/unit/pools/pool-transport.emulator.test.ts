// A pool of two real emulators through PoolTransport, followed by the real JobTracker, as the app runs it: jobs go
// only where they can run, a batch spreads, Stop reaches the rig that holds the job, and a rig that goes away hands
// its waiting jobs to the other once while its running job is reported lost.
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createDirectTransport } from '$lib/comfy/transport';
import { JobTracker, type JobState } from '$lib/comfy/jobs';
import { followJobs } from '$lib/comfy/follow';
import { cancelPrompts } from '$lib/comfy/cancel';
import { randomId } from '$lib/comfy/ids';
import type { ApiPrompt, ObjectInfo } from '$lib/comfy/types';
import { createPoolTransport, type PoolNotice, type PoolTransport } from '$lib/app/pools/pool-transport';
import { startEmulator, type Emulator } from '../../../tools/comfy-emulator/server';

const WebSocketImpl = WebSocket as unknown as typeof globalThis.WebSocket;
const recorded = JSON.parse(readFileSync('tools/comfy-emulator/assets/object_info.json', 'utf8')) as ObjectInfo;
const withoutInvert: ObjectInfo = Object.fromEntries(Object.entries(recorded).filter(([name]) => name !== 'ImageInvert'));

function noise(steps: number, seed: number, invert = false): ApiPrompt {
	const prompt: ApiPrompt = {
		'1': { class_type: 'SlowNoiseImage', inputs: { steps, seed, width: 64, height: 64, text: 'a cat', delay_ms: 0, preview_format: 'JPEG' } },
		'2': { class_type: 'SaveImage', inputs: { images: [invert ? '3' : '1', 0], filename_prefix: 'pool' } }
	};
	if (invert) prompt['3'] = { class_type: 'ImageInvert', inputs: { image: ['1', 0] } };
	return prompt;
}

function until<T>(what: string, check: () => T | undefined | false, timeoutMs = 20_000): Promise<T> {
	return new Promise((resolve, reject) => {
		const started = Date.now();
		const timer = setInterval(() => {
			const value = check();
			if (value) {
				clearInterval(timer);
				resolve(value);
			} else if (Date.now() - started > timeoutMs) {
				clearInterval(timer);
				reject(new Error(`timed out waiting for ${what}`));
			}
		}, 10);
	});
}

let emulators: Emulator[] = [];
let pool: PoolTransport;
let tracker: JobTracker;
let unfollow: () => void;
const jobs = new Map<string, JobState>();
const previewed = new Set<string>();
const notices: PoolNotice[] = [];

async function start(opts: { a?: Parameters<typeof startEmulator>[0]; paused?: string[]; downAfterMs?: number } = {}): Promise<[Emulator, Emulator]> {
	const a = await startEmulator({ stepMs: 20, ...opts.a });
	const b = await startEmulator({ stepMs: 20 });
	emulators = [a, b];
	const clientId = randomId();
	pool = createPoolTransport({
		rigs: [
			{ id: 'a', name: 'Box A', transport: createDirectTransport({ baseUrl: a.url, clientId, WebSocketImpl }) },
			{ id: 'b', name: 'Box B', transport: createDirectTransport({ baseUrl: b.url, clientId, WebSocketImpl }) }
		],
		paused: opts.paused,
		downAfterMs: opts.downAfterMs
	});
	tracker = new JobTracker({ api: pool.api });
	unfollow = followJobs(pool.events, tracker, { pollMs: 500 });
	tracker.subscribe((job) => {
		jobs.set(job.promptId, job);
		if (job.preview) previewed.add(job.promptId);
	});
	pool.onNotice((n) => notices.push(n));
	pool.events.connect();
	await until('both rigs live with their node definitions', () => pool.rigs().every((r) => r.status === 'live') && pool.rigs().length === 2);
	await pool.api.getObjectInfo();
	return [a, b];
}

async function queue(prompt: ApiPrompt): Promise<string> {
	const promptId = randomId();
	tracker.track(promptId, {});
	await pool.api.queuePrompt({ prompt, clientId: pool.clientId, promptId });
	return promptId;
}

const ended = (ids: string[]) => ids.every((id) => ['succeeded', 'failed', 'interrupted'].includes(jobs.get(id)?.status ?? ''));

afterEach(async () => {
	unfollow?.();
	pool?.close();
	await Promise.all(emulators.map((e) => e.close().catch(() => undefined)));
	jobs.clear();
	previewed.clear();
	notices.length = 0;
});

describe('PoolTransport over two emulators', () => {
	it('sends a prompt only to the rig that has its node classes, and spreads a batch both can run over both', async () => {
		const [a, b] = await start({ a: { objectInfo: withoutInvert } });
		const inverted = [await queue(noise(3, 1, true)), await queue(noise(3, 2, true))];
		expect(inverted.map((id) => pool.rigOf(id))).toEqual(['b', 'b']);
		await until('the inverted runs to end', () => ended(inverted));
		const batch: string[] = [];
		for (let i = 0; i < 8; i++) batch.push(await queue(noise(4, 10 + i)));
		await until('the batch to end', () => ended(batch));
		const onA = batch.filter((id) => a.queuedPromptIds().includes(id)).length;
		const onB = batch.filter((id) => b.queuedPromptIds().includes(id)).length;
		expect(onA + onB).toBe(8);
		expect(Math.min(onA, onB)).toBeGreaterThanOrEqual(3);
		expect(a.queuedPromptIds().filter((id) => inverted.includes(id))).toEqual([]);
		expect([...inverted, ...batch].map((id) => jobs.get(id)?.status)).toEqual(Array(10).fill('succeeded'));
		// Both rigs ran at once, and previews without a prompt id (0.3.64) still reached their own job.
		expect([...inverted, ...batch].filter((id) => previewed.has(id)).length).toBe(10);
		// Results are fetched from the rig that made them.
		const last = jobs.get(batch[7])!;
		const file = Object.values(last.outputs)[0]?.images?.[0];
		expect(file).toBeDefined();
		expect((await pool.api.fetchView(file!)).size).toBeGreaterThan(0);
	});

	it('refuses, in words and on the field, a prompt no rig can run', async () => {
		await start();
		const prompt: ApiPrompt = { ...noise(2, 3), '4': { class_type: 'CheckpointLoaderSimple', inputs: { ckpt_name: 'nowhere.safetensors' } } };
		const error = await pool.api.queuePrompt({ prompt, clientId: pool.clientId }).catch((e: unknown) => e);
		expect(error).toMatchObject({ kind: 'rejected', message: 'No rig has the model nowhere.safetensors (ckpt_name).' });
		expect((error as { nodeErrors: Record<string, unknown> }).nodeErrors['4']).toMatchObject({ class_type: 'CheckpointLoaderSimple', errors: [{ extra_info: { input_name: 'ckpt_name' } }] });
		expect(emulators.flatMap((e) => e.queuedPromptIds())).toEqual([]);
	});

	it('stops a job on the rig that runs it, and only that job', async () => {
		await start();
		const first = await queue(noise(400, 1));
		const second = await queue(noise(400, 2));
		expect(new Set([pool.rigOf(first), pool.rigOf(second)])).toEqual(new Set(['a', 'b']));
		await until('both running', () => jobs.get(first)?.status === 'running' && jobs.get(second)?.status === 'running');
		const outcome = await cancelPrompts(pool.api, second, []);
		expect(outcome.failures).toEqual([]);
		await until('the stopped one to end', () => jobs.get(second)?.status === 'interrupted');
		expect(jobs.get(first)?.status).toBe('running');
		await cancelPrompts(pool.api, first, []);
		await until('the other one to end', () => ended([first]));
	});

	it('moves the waiting jobs of a rig that goes away to the other rig once, and reports its running job as lost', async () => {
		const [a, b] = await start({ paused: ['b'], downAfterMs: 300 });
		const ids = [await queue(noise(300, 1)), await queue(noise(5, 2)), await queue(noise(5, 3))];
		expect(ids.map((id) => pool.rigOf(id))).toEqual(['a', 'a', 'a']);
		await until('the first running on A', () => jobs.get(ids[0])?.status === 'running');
		pool.setPaused('b', false);
		await a.close();
		await until('every job to end', () => ended(ids));
		expect(jobs.get(ids[0])).toMatchObject({ status: 'failed', error: { message: expect.stringContaining('Box A went down while running this job') } });
		expect(ids.slice(1).map((id) => jobs.get(id)?.status)).toEqual(['succeeded', 'succeeded']);
		expect(b.queuedPromptIds()).toEqual(ids.slice(1));
		expect(ids.slice(1).map((id) => pool.rigOf(id))).toEqual(['b', 'b']);
		expect(notices.map((n) => [n.kind, n.text])).toEqual([
			['moved', '2 waiting runs moved from Box A to Box B: Box A stopped answering.'],
			['lost', 'Box A stopped answering: 1 run was lost (not retried).']
		]);
		expect(pool.rigs().find((r) => r.id === 'a')?.status).toBe('down');
	});

	it('moves a job only once: a moved job whose new rig also goes away is reported, never moved again', async () => {
		const [a, b] = await start({ paused: ['b'], downAfterMs: 300 });
		const c = await startEmulator({ stepMs: 20 });
		emulators.push(c);
		// A third rig joins as a separate pool member would: rebuild the pool with three rigs, B and C paused.
		unfollow();
		pool.close();
		const clientId = randomId();
		pool = createPoolTransport({
			rigs: [a, b, c].map((e, i) => ({ id: 'abc'[i], name: `Box ${'ABC'[i]}`, transport: createDirectTransport({ baseUrl: e.url, clientId, WebSocketImpl }) })),
			paused: ['b', 'c'],
			downAfterMs: 300
		});
		tracker = new JobTracker({ api: pool.api });
		unfollow = followJobs(pool.events, tracker, { pollMs: 500 });
		tracker.subscribe((job) => jobs.set(job.promptId, job));
		pool.onNotice((n) => notices.push(n));
		pool.events.connect();
		await until('three rigs live', () => pool.rigs().every((r) => r.status === 'live'));
		await pool.api.getObjectInfo();
		const longOnA = await queue(noise(400, 1));
		const waiting = await queue(noise(3, 2));
		pool.setPaused('b', false);
		const longOnB = await queue(noise(400, 3));
		expect([longOnA, waiting, longOnB].map((id) => pool.rigOf(id))).toEqual(['a', 'a', 'b']);
		await until('both long jobs running', () => jobs.get(longOnA)?.status === 'running' && jobs.get(longOnB)?.status === 'running');
		await a.close();
		// Moved once B has taken it (the notice comes after B's answer): closing B while the move is still in flight
		// is another story (the job is reported lost with B's error, as it should be).
		await until('the waiting job moved to B', () => notices.some((n) => n.kind === 'moved' && n.promptIds.includes(waiting)));
		expect(pool.rigOf(waiting)).toBe('b');
		pool.setPaused('c', false);
		await b.close();
		await until('every job to end', () => ended([longOnA, waiting, longOnB]));
		expect(jobs.get(waiting)).toMatchObject({ status: 'failed', error: { message: 'Box B went down; this job had already been moved once, so it is not moved again.' } });
		expect(jobs.get(longOnB)).toMatchObject({ status: 'failed', error: { message: expect.stringContaining('Box B went down while running this job') } });
		expect(c.queuedPromptIds()).toEqual([]);
	});
});

