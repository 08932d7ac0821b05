// Who receives what (comfyui-protocol.md §2.1, §2.3) beyond the captured scenarios: prompts without a client_id,
// the registry hazard of a replaced socket, feature flags only as the first message, and the injected faults.
import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../../tools/comfy-emulator/server';
import { Recorder } from './support/recorder';
import { A, B, post, queuePrompt, slowNoise, sleep } from './support/scenario';

let sut: Emulator | null = null;
let open: Recorder[] = [];

async function start(options: Parameters<typeof startEmulator>[0]): Promise<Emulator> {
	sut = await startEmulator(options);
	return sut;
}

async function connect(clientId?: string, flags?: Record<string, unknown>): Promise<Recorder> {
	const client = await Recorder.connect(sut!.url, clientId, flags);
	open.push(client);
	return client;
}

afterEach(async () => {
	for (const client of open) await client.close();
	open = [];
	await sut?.close();
	sut = null;
});

async function waitForHistory(emulator: Emulator, promptId: string): Promise<void> {
	for (let i = 0; i < 200 && !emulator.history()[promptId]; i++) await sleep(20);
	if (!emulator.history()[promptId]) throw new Error('prompt never finished');
}

describe('delivery rules', () => {
	it('a prompt without client_id broadcasts progress, progress_state and previews but no execution events', async () => {
		const emulator = await start({ stepMs: 5 });
		const a = await connect(A);
		const b = await connect(B, { supports_preview_metadata: true });
		const id = await queuePrompt(emulator.url, slowNoise(3, 'anon'));
		await waitForHistory(emulator, id);
		await sleep(30);
		for (const client of [a, b]) {
			const types = new Set(client.texts().map((m) => m.type));
			expect([...types].sort()).toEqual(['feature_flags', 'progress', 'progress_state', 'status'].filter((t) => t !== 'feature_flags' || client === b));
			// Without a current client nobody is "negotiated": everyone gets legacy type-1 frames.
			expect(client.records.filter((r) => r.kind === 'binary').map((r) => r.kind === 'binary' && r.event)).toEqual([1, 1, 1]);
		}
		expect(emulator.history()[id].status.status_str).toBe('success');
	});

	it('an interrupt of a prompt without client_id is broadcast', async () => {
		const emulator = await start({ stepMs: 80 });
		const a = await connect(A);
		const id = await queuePrompt(emulator.url, slowNoise(20, 'anon'));
		await a.waitFor((r) => r.kind === 'text' && r.msg.type === 'progress');
		await post(emulator.url, '/interrupt', {});
		await waitForHistory(emulator, id);
		// The history entry is written right after the broadcast; the frame may still be on its way.
		await a.waitFor((r) => r.kind === 'text' && r.msg.type === 'execution_interrupted');
		expect(a.texts('execution_interrupted')).toHaveLength(1);
		expect(a.texts('executing')).toEqual([]);
	});

	it('events for a client id without a socket are dropped, never buffered for a later connection', async () => {
		const emulator = await start({ stepMs: 5 });
		const id = await queuePrompt(emulator.url, slowNoise(2, 'late'), 'late-client');
		await waitForHistory(emulator, id);
		const late = await connect('late-client');
		await sleep(50);
		expect(late.texts().map((m) => m.type)).toEqual(['status']);
	});

	it('closing a replaced socket unregisters its replacement too, as the real registry does', async () => {
		const emulator = await start({ stepMs: 5 });
		const first = await connect(A);
		const second = await connect(A);
		await first.close();
		await sleep(30);
		const id = await queuePrompt(emulator.url, slowNoise(2, 'hazard'), A);
		await waitForHistory(emulator, id);
		await sleep(30);
		expect(second.closed).toBe(false);
		expect(second.texts().map((m) => m.type)).toEqual(['status']);
	});

	it('only the first message can negotiate feature flags', async () => {
		await start({ stepMs: 5 });
		const client = await connect(A);
		client.ws.send(JSON.stringify({ type: 'hello', data: {} }));
		client.ws.send(JSON.stringify({ type: 'feature_flags', data: { supports_preview_metadata: true } }));
		await sleep(50);
		expect(client.texts('feature_flags')).toEqual([]);
	});
});

describe('injected faults', () => {
	it('failNodes makes a class raise an execution_error recorded in history', async () => {
		const emulator = await start({ stepMs: 5, failNodes: ['SaveImage'] });
		const a = await connect(A);
		const id = await queuePrompt(emulator.url, slowNoise(2, 'fail'), A);
		await a.waitForDone(id);
		const [error] = a.texts('execution_error');
		expect(error.data).toMatchObject({ node_id: '2', node_type: 'SaveImage', executed: ['1'], exception_type: 'RuntimeError' });
		expect(emulator.history()[id].status).toMatchObject({ status_str: 'error', completed: false });
	});

	it('dropSocketAfterSteps cuts the submitter mid-run while the prompt still finishes into history', async () => {
		const emulator = await start({ stepMs: 5, dropSocketAfterSteps: 2 });
		const a = await connect(A);
		const id = await queuePrompt(emulator.url, slowNoise(6, 'drop'), A);
		await waitForHistory(emulator, id);
		expect(a.closed).toBe(true);
		expect(a.texts('progress').map((m) => m.data.value)).toEqual([1, 2]);
		expect(emulator.history()[id].outputs['2'].images).toHaveLength(1);
	});

	it('dropSockets() cuts every socket abruptly', async () => {
		const emulator = await start({ stepMs: 5 });
		const a = await connect(A);
		const codes: number[] = [];
		a.ws.on('close', (code) => codes.push(code));
		emulator.dropSockets();
		await sleep(50);
		expect(codes).toEqual([1006]);
	});
});
