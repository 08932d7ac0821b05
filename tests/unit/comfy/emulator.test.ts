// The protocol layer end to end against the ComfyUI emulator over real HTTP and a real WebSocket (ws in Node).
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createDirectTransport, type ComfyTransport } from '$lib/comfy/transport';
import { ComfyError } from '$lib/comfy/errors';
import { JobTracker, type JobState } from '$lib/comfy/jobs';
import { followJobs } from '$lib/comfy/follow';
import { randomId } from '$lib/comfy/ids';
import type { ApiPrompt } from '$lib/comfy/types';
import { startEmulator, type Emulator } from '../../../tools/comfy-emulator/server';
import { pngSize } from './image-probe';

const WebSocketImpl = WebSocket as unknown as typeof globalThis.WebSocket;

function slowNoise(steps: number, seed: number): ApiPrompt {
	return {
		'1': { class_type: 'SlowNoiseImage', inputs: { steps, seed, width: 256, height: 256, text: 'a cat', delay_ms: 0, preview_format: 'JPEG' } },
		'2': { class_type: 'SaveImage', inputs: { images: ['1', 0], filename_prefix: 'cp' } }
	};
}

interface Session {
	transport: ComfyTransport;
	tracker: JobTracker;
	previews: JobState[];
	close(): void;
}

/** A transport followed by a tracker, as the app runs them. */
function session(emulator: Emulator): Session {
	const transport = createDirectTransport({ baseUrl: emulator.url, clientId: `test-${randomId()}`, WebSocketImpl });
	const tracker = new JobTracker({ api: transport.api });
	const previews: JobState[] = [];
	const unfollow = followJobs(transport.events, tracker, { pollMs: 500 });
	tracker.subscribe((job) => {
		if (job.preview) previews.push(job);
	});
	transport.events.connect();
	const close = () => {
		unfollow();
		transport.events.close();
	};
	return { transport, tracker, previews, close };
}

function until<T>(what: string, check: () => T | undefined | false, timeoutMs = 10_000): Promise<T> {
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
		}, 5);
	});
}

const finished = (s: Session, id: string) => () => {
	const job = s.tracker.get(id);
	return job && ['succeeded', 'failed', 'interrupted'].includes(job.status) ? job : undefined;
};

async function run(s: Session, prompt: ApiPrompt): Promise<string> {
	const promptId = randomId();
	s.tracker.track(promptId, { nodeTitles: { '1': 'Noise', '2': 'Save' } });
	await s.transport.api.queuePrompt({ prompt, clientId: s.transport.clientId, promptId });
	return promptId;
}

describe('protocol layer against the emulator', () => {
	let emulator: Emulator;
	let open: Session[] = [];

	beforeAll(async () => {
		emulator = await startEmulator({ stepMs: 15 });
	});

	afterEach(() => {
		for (const s of open) s.close();
		open = [];
	});

	afterAll(async () => {
		await emulator.close();
	});

	function connect(): Session {
		const s = session(emulator);
		open.push(s);
		return s;
	}

	it('runs a prompt with metadata previews and fetches its saved PNG', async () => {
		const s = connect();
		await until('live', () => s.transport.events.state.status === 'live');
		const id = await run(s, slowNoise(6, 11));
		const job = await until('the job to end', finished(s, id));
		expect(job.status).toBe('succeeded');
		expect(job.progress).toBe(1);
		const image = job.outputs['2']?.images?.[0];
		expect(image?.type).toBe('output');
		const blob = await s.transport.api.fetchView(image!);
		expect(pngSize(new Uint8Array(await blob.arrayBuffer()))).toEqual([256, 256]);
		expect(s.previews.length).toBeGreaterThan(0);
		expect(s.previews.every((p) => p.promptId === id && p.preview?.mime === 'image/jpeg')).toBe(true);
		expect(await s.transport.api.getHistory(id)).toMatchObject({ outputs: job.outputs });
	});

	it('reports a graph the server refuses as a rejection with the node errors', async () => {
		const s = connect();
		const prompt = slowNoise(2, 1);
		delete (prompt['1'].inputs as Record<string, unknown>).text;
		const error = await s.transport.api.queuePrompt({ prompt, clientId: s.transport.clientId, promptId: randomId() }).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(ComfyError);
		expect(error).toMatchObject({ kind: 'rejected', status: 400, error: { type: 'prompt_outputs_failed_validation' } });
		expect((error as ComfyError).nodeErrors?.['1'].errors[0].type).toBe('required_input_missing');
	});

	it('interrupts its own running prompt by id', async () => {
		const s = connect();
		await until('live', () => s.transport.events.state.status === 'live');
		const id = await run(s, slowNoise(200, 12));
		await until('a step', () => s.tracker.get(id)?.step);
		await s.transport.api.interrupt(id);
		expect((await until('the job to end', finished(s, id))).status).toBe('interrupted');
	});

	it('shows a waiting prompt its queue position, then runs it', async () => {
		const s = connect();
		await until('live', () => s.transport.events.state.status === 'live');
		const first = await run(s, slowNoise(20, 13));
		const second = await run(s, slowNoise(2, 14));
		const waiting = await until('a queue position', () => s.tracker.get(second)?.queuePosition);
		expect(waiting).toBe(1);
		expect((await until('the second job to end', finished(s, second))).status).toBe('succeeded');
		expect(s.tracker.get(first)!.status).toBe('succeeded');
	});
});

describe('ComfyApi against the emulator', () => {
	let emulator: Emulator;

	beforeAll(async () => {
		emulator = await startEmulator({ stepMs: 15 });
	});

	afterAll(async () => {
		await emulator.close();
	});

	it('uploads a photo, reuses it on an identical upload, renames a different one, and LoadImage lists a top-level one', async () => {
		const api = createDirectTransport({ baseUrl: emulator.url, clientId: 'files', WebSocketImpl }).api;
		const photo = new Blob([new Uint8Array(await (await api.fetchView({ filename: 'example.png', subfolder: '', type: 'input' })).arrayBuffer())], { type: 'image/png' });
		const first = await api.uploadImage(photo, 'phone-shot.png', { subfolder: 'phone' });
		const again = await api.uploadImage(photo, 'phone-shot.png', { subfolder: 'phone' });
		const other = await api.uploadImage(new Blob([new Uint8Array([1, 2, 3])], { type: 'image/png' }), 'phone-shot.png', { subfolder: 'phone' });
		expect(first).toEqual({ name: 'phone-shot.png', subfolder: 'phone', type: 'input' });
		expect(again).toEqual(first);
		expect(other.name).toBe('phone-shot (1).png');
		// LoadImage of 0.3.64 lists only the top of input/, so a subfolder upload is referenced by path, not listed.
		await api.uploadImage(photo, 'top-level.png');
		const loadImage = await api.refreshNodeClass('LoadImage');
		expect(loadImage?.input.required?.image[0]).toContain('top-level.png');
	});

	it('lists the saved workflows and opens one of them', async () => {
		const api = createDirectTransport({ baseUrl: emulator.url, clientId: 'library', WebSocketImpl }).api;
		const files = await api.listUserWorkflows();
		expect(files.length).toBeGreaterThan(0);
		const bytes = await api.getUserWorkflow(files[0].path);
		expect(JSON.parse(new TextDecoder().decode(bytes))).toHaveProperty('nodes');
	});

	it('reads server information: system stats, features, model folders and node definitions', async () => {
		const api = createDirectTransport({ baseUrl: emulator.url, clientId: 'info', WebSocketImpl }).api;
		expect((await api.systemStats()).system.comfyui_version).toBe('0.3.64');
		expect((await api.features()).supports_preview_metadata).toBe(true);
		expect(await api.listModelFolders()).toContain('checkpoints');
		expect(Array.isArray(await api.listModels('checkpoints'))).toBe(true);
		expect(Object.keys(await api.getObjectInfo())).toContain('KSampler');
		expect(await api.getHistory('never-queued')).toBeNull();
		await expect(api.fetchView({ filename: 'nope.png', subfolder: '', type: 'output' })).rejects.toMatchObject({ kind: 'http', status: 404 });
	});
});

describe('protocol layer against an emulator that drops the socket mid-run', () => {
	it('reconnects with the same client id and still ends with the result', async () => {
		const emulator = await startEmulator({ stepMs: 25, dropSocketAfterSteps: 3 });
		const s = session(emulator);
		try {
			await until('live', () => s.transport.events.state.status === 'live');
			const id = await run(s, slowNoise(12, 21));
			await until('the drop', () => s.transport.events.state.status === 'reconnecting');
			const job = await until('the job to end', finished(s, id));
			expect(job.status).toBe('succeeded');
			expect(job.outputs['2']?.images).toHaveLength(1);
			expect(emulator.history()[id].outputs).toEqual(job.outputs);
		} finally {
			s.close();
			await emulator.close();
		}
	});
});
