// S5, S5b, S7, S8 and S12 of the captures: interrupts, queue deletion, a failing node, a reconnect mid-run and a
// progress-text frame produce the same message types in the same order with the same fields as the real server.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ApiPrompt, QueueItem, QueueState } from '../../../src/lib/comfy/types';
import { startEmulator, type Emulator } from '../../../tools/comfy-emulator/server';
import { captured, httpCapture, normalize, normalizeHistory } from './support/captures';
import { Recorder, type Recorded } from './support/recorder';
import { A, B, post, queuePrompt, slowNoise, sleep } from './support/scenario';

let sut: Emulator;
let open: Recorder[] = [];

beforeAll(async () => {
	// Steps long enough that an HTTP round trip always lands inside the step it targets.
	sut = await startEmulator({ stepMs: 200 });
});

afterEach(async () => {
	for (const client of open) await client.close();
	open = [];
});

afterAll(async () => {
	await sut.close();
});

async function historyOf(promptId: string): Promise<unknown> {
	return normalizeHistory(await (await fetch(`${sut.url}/history/${promptId}`)).json());
}

async function connect(clientId: string): Promise<Recorder> {
	const client = await Recorder.connect(sut.url, clientId);
	open.push(client);
	return client;
}

const isProgress = (value: number) => (r: Recorded) => r.kind === 'text' && r.msg.type === 'progress' && r.msg.data.value === value;
const isType = (type: string) => (r: Recorded) => r.kind === 'text' && r.msg.type === type;

describe('emulator conformance with the captures S5–S12', () => {
	it('S5: a global interrupt after the third step ends the run with execution_interrupted', async () => {
		const a = await connect(A);
		const from = a.records.length;
		const id = await queuePrompt(sut.url, slowNoise(40, 'probe', { seed: 5, delay_ms: 250 }), A);
		await a.waitFor(isProgress(3), 10_000, from);
		await a.waitFor((r) => r.kind === 'binary', 10_000, a.records.findIndex(isProgress(3)));
		await post(sut.url, '/interrupt', {});
		await a.waitForDone(id, from);
		expect(normalize(a.records.slice(from))).toEqual(normalize(captured('S5-interrupt-global-clientA', 'S5')));
		expect(await historyOf(id)).toEqual(normalizeHistory(httpCapture('history_interrupted').response.json as never));
	});

	it('S5b: queued prompts, a queue delete, a targeted interrupt of a queued id (no-op) and of the running id', async () => {
		const a = await connect(A);
		// In the capture session S1 had already saved probe_00001_.png; the file counter must match.
		await a.waitForDone(await queuePrompt(sut.url, slowNoise(1, 'probe', { seed: 50 }), A));
		const from = a.records.length;
		const first = await queuePrompt(sut.url, slowNoise(20, 'probe', { seed: 51, delay_ms: 200 }), A);
		await a.waitFor(isType('executing'), 10_000, from);
		const second = await queuePrompt(sut.url, slowNoise(3, 'probe', { seed: 52, delay_ms: 100 }), A);
		const third = await queuePrompt(sut.url, slowNoise(3, 'probe', { seed: 53, delay_ms: 100 }), A);
		const queue = (await (await fetch(`${sut.url}/queue`)).json()) as QueueState;
		expect(relativeQueue(queue, [first, second, third])).toEqual(
			relativeQueue(httpCapture('queue_running_with_pending').response.json as QueueState, [
				'fc56acf2-afca-4c12-81b4-22ed8b3110ee',
				'1473ecb3-e253-48cb-8991-8de708f55225',
				'2c43e0bf-1f95-4d25-abbb-b01106260a1e'
			])
		);
		await a.waitFor(isProgress(2), 10_000, from);
		await a.waitFor((r) => r.kind === 'binary', 10_000, a.records.findIndex(isProgress(2)));
		await post(sut.url, '/queue', { delete: [third] });
		await post(sut.url, '/interrupt', { prompt_id: second });
		await a.waitFor(isProgress(4), 10_000, from);
		await a.waitFor((r) => r.kind === 'binary', 10_000, a.records.findIndex(isProgress(4)));
		await post(sut.url, '/interrupt', { prompt_id: first });
		await a.waitForDone(second, from);
		expect(normalize(a.records.slice(from))).toEqual(normalize(captured('S5b-queue-delete-targeted-interrupt-clientA', 'S5b')));
	});

	it('S7: a node that raises ends the run with execution_error naming it and the nodes already executed', async () => {
		const a = await connect(A);
		const from = a.records.length;
		const prompt: ApiPrompt = {
			'1': { class_type: 'SlowNoiseImage', inputs: { steps: 3, seed: 7, width: 64, height: 64, text: 't', delay_ms: 100 } },
			'2': { class_type: 'ProbeFail', inputs: { image: ['1', 0], message: 'deliberate probe failure' } },
			'3': { class_type: 'PreviewImage', inputs: { images: ['2', 0] } }
		};
		const id = await queuePrompt(sut.url, prompt, A);
		await a.waitForDone(id, from);
		expect(normalize(a.records.slice(from))).toEqual(normalize(captured('S7-runtime-error-clientA', 'S7')));
		expect(await historyOf(id)).toEqual(normalizeHistory(httpCapture('history_runtime_error').response.json as never));
	});

	it('S8: after a reconnect with the same clientId the client gets the replayed executing and the rest of the run', async () => {
		const e1 = await connect('probe-client-E');
		const id = await queuePrompt(sut.url, slowNoise(12, 'probe_reconnect', { seed: 8, delay_ms: 250 }), 'probe-client-E');
		await e1.waitFor(isProgress(2));
		await e1.close();
		await sleep(200 * 3.5);
		const e2 = await connect('probe-client-E');
		await e2.waitForDone(id);
		const part1 = e1.records.slice(0, e1.records.findIndex(isProgress(2)) + 1);
		expect(normalize(part1)).toEqual(normalize(captured('S8-reconnect-part1-before-disconnect')));
		// The reconnect lands at a different step than in the capture: compare from the same step on, and check
		// that the steps seen are consecutive up to the last.
		const steps = e2.texts('progress').map((m) => m.data.value as number);
		expect(steps).toEqual(Array.from({ length: 12 - steps[0] + 1 }, (_, i) => steps[0] + i));
		const recorded = captured('S8-reconnect-part2-after-reconnect');
		const fromStep = (records: Recorded[]) => records.slice(records.findIndex((r) => r.kind === 'text' && r.msg.type === 'progress_state' && (r.msg.data.nodes as Record<string, { value: number }>)['1'].value === steps[0]));
		expect(normalize(e2.records.slice(0, 2))).toEqual(normalize(recorded.slice(0, 2)));
		expect(normalize(fromStep(e2.records)).slice(0, 8)).toEqual(normalize(fromStep(recordedAt(recorded, steps[0]))).slice(0, 8));
		expect(normalize(e2.records.slice(-12))).toEqual(normalize(recorded.slice(-12)));
	});

	it('S12: GetImageSize broadcasts a progress-text frame to every client; PreviewAny shows the width', async () => {
		const a = await connect(A);
		const b = await connect(B);
		const [fromA, fromB] = [a.records.length, b.records.length];
		const prompt: ApiPrompt = {
			'1': { class_type: 'SlowNoiseImage', inputs: { steps: 2, seed: 12, width: 320, height: 192, text: 't', delay_ms: 100 } },
			'2': { class_type: 'GetImageSize', inputs: { image: ['1', 0] } },
			'3': { class_type: 'PreviewAny', inputs: { source: ['2', 0] } }
		};
		const id = await queuePrompt(sut.url, prompt, A);
		await a.waitForDone(id, fromA);
		await sleep(30);
		expect(normalize(a.records.slice(fromA))).toEqual(normalize(captured('S12-progress-text-clientA', 'S12')));
		expect(normalize(b.records.slice(fromB))).toEqual(normalize(captured('S12-progress-text-clientB-other-clientId', 'S12')));
		expect(await historyOf(id)).toEqual(normalizeHistory(httpCapture('history_previewany_text').response.json as never));
	});
});

/** A GET /queue body with prompt ids as #1, #2… (in submission order) and numbers relative to the first one. */
function relativeQueue(queue: QueueState, ids: string[]): unknown {
	const base = queue.queue_running[0][0];
	const item = ([number, id, prompt, extra, outputs]: QueueItem) => [number - base, `#${ids.indexOf(id) + 1}`, prompt, extra, outputs];
	return { queue_running: queue.queue_running.map(item), queue_pending: queue.queue_pending.map(item) };
}

/** The capture's step groups renumbered so that the first one seen after the reconnect is `step`. */
function recordedAt(records: Recorded[], step: number): Recorded[] {
	const first = records.find((r) => r.kind === 'text' && r.msg.type === 'progress');
	const shift = first?.kind === 'text' ? step - (first.msg.data.value as number) : 0;
	return records.map((r) => {
		if (r.kind !== 'text' || (r.msg.type !== 'progress' && r.msg.type !== 'progress_state')) return r;
		const data = structuredClone(r.msg.data);
		if (r.msg.type === 'progress') (data as { value: number }).value += shift;
		else for (const node of Object.values(data.nodes as Record<string, { value: number; state: string }>)) if (node.state === 'running') node.value += shift;
		return { kind: 'text', msg: { type: r.msg.type, data } };
	});
}
