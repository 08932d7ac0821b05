import { describe, expect, it } from 'vitest';
import { JobTracker } from '$lib/comfy/jobs';
import { ComfyError } from '$lib/comfy/errors';
import type { ComfyEvent } from '$lib/comfy/events';
import type { HistoryEntry, QueueState } from '$lib/comfy/types';
import { httpJson } from './capture-files';
import { replayEvents } from './replay';

const S8 = '4f00e805-2e5a-4d41-9121-4ac512f8c21a';
const S8_OUTPUT = { images: [{ filename: 'probe_reconnect_00001_.png', subfolder: '', type: 'output' }] };
const EMPTY_QUEUE: QueueState = { queue_running: [], queue_pending: [] };

// The capture has no /history entry for S8's prompt. This is the recorded S1 entry (same graph) with S8's prompt id,
// file name and timestamps, i.e. what the server would answer for it.
function s8History(): HistoryEntry {
	const s1 = httpJson<Record<string, HistoryEntry>>('history_by_id')['39e7a346-b086-4168-bf5d-6e7ca66f9bc8'];
	const text = JSON.stringify(s1)
		.replaceAll('39e7a346-b086-4168-bf5d-6e7ca66f9bc8', S8)
		.replace('probe_00001_.png', 'probe_reconnect_00001_.png')
		.replace('1795686588581', '1795686600850');
	return JSON.parse(text) as HistoryEntry;
}

function fakeApi(opts: { queue?: QueueState; history?: HistoryEntry | null; historyFails?: boolean }) {
	const calls: string[] = [];
	return {
		calls,
		api: {
			getQueue: async () => {
				calls.push('queue');
				return opts.queue ?? EMPTY_QUEUE;
			},
			getHistory: async (id: string) => {
				calls.push(`history ${id}`);
				if (opts.historyFails) throw new ComfyError('network', 'offline');
				return opts.history === undefined ? null : opts.history;
			}
		}
	};
}

const settle = () => new Promise((r) => setTimeout(r, 0));

function cutBefore(events: ComfyEvent[], type: string): ComfyEvent[] {
	const index = events.findIndex((e) => e.type === 'message' && e.message.type === type);
	return events.slice(0, index);
}

describe('S8: the submitter disconnects mid-run and reconnects', () => {
	it('attributes the replayed executing without prompt_id to the running job', () => {
		const sut = new JobTracker();
		sut.track(S8);
		const events = replayEvents('S8-reconnect-part1-before-disconnect', 'S8-reconnect-part2-after-reconnect');
		const replayed = events.findIndex((e) => e.type === 'message' && e.message.type === 'executing' && !e.message.data.prompt_id);
		for (const event of events.slice(0, replayed + 1)) sut.handle(event);
		expect(sut.get(S8)).toMatchObject({ status: 'running', node: { id: '1' } });
	});

	it('ends succeeded with the result after replaying both parts, confirmed by history', async () => {
		const { api, calls } = fakeApi({ history: s8History() });
		const sut = new JobTracker({ api });
		sut.track(S8);
		for (const event of replayEvents('S8-reconnect-part1-before-disconnect', 'S8-reconnect-part2-after-reconnect')) sut.handle(event);
		await settle();
		expect(sut.get(S8)).toMatchObject({ status: 'succeeded', outputs: { '2': S8_OUTPUT }, progress: 1 });
		expect(calls).toContain(`history ${S8}`);
	});

	it('still ends with the result when the socket came back only after the run was over', async () => {
		const { api } = fakeApi({ history: s8History() });
		const sut = new JobTracker({ api });
		sut.track(S8);
		for (const event of replayEvents('S8-reconnect-part1-before-disconnect')) sut.handle(event);
		expect(sut.get(S8)!.status).toBe('running');
		await sut.reconcile();
		expect(sut.get(S8)).toMatchObject({ status: 'succeeded', outputs: { '2': S8_OUTPUT }, endedAt: 1795686600850 });
	});

	it('recovers the outputs from history when the reconnected socket missed the executed message', async () => {
		const { api } = fakeApi({ history: s8History() });
		const sut = new JobTracker({ api });
		sut.track(S8);
		const events = replayEvents('S8-reconnect-part1-before-disconnect', 'S8-reconnect-part2-after-reconnect');
		const withoutExecuted = events.filter((e) => !(e.type === 'message' && e.message.type === 'executed'));
		for (const event of withoutExecuted) sut.handle(event);
		await settle();
		expect(sut.get(S8)!.outputs).toEqual({ '2': S8_OUTPUT });
	});

	it('falls back to what the socket said when history cannot be read at the end', async () => {
		const { api } = fakeApi({ historyFails: true });
		const sut = new JobTracker({ api });
		sut.track(S8);
		for (const event of replayEvents('S8-reconnect-part1-before-disconnect', 'S8-reconnect-part2-after-reconnect')) sut.handle(event);
		await settle();
		expect(sut.get(S8)).toMatchObject({ status: 'succeeded', outputs: { '2': S8_OUTPUT } });
	});

	it('keeps a job running when the queue still lists it as running', async () => {
		const queue: QueueState = { queue_running: [[0, S8, {}, {}, ['2']]], queue_pending: [] };
		const { api, calls } = fakeApi({ queue });
		const sut = new JobTracker({ api });
		sut.track(S8);
		await sut.reconcile();
		expect(sut.get(S8)!.status).toBe('running');
		expect(calls).toEqual(['queue']);
	});
});

describe('reconcile', () => {
	it('asks history when a prompt ends without its outcome message and settles from it', async () => {
		const { api } = fakeApi({ history: s8History() });
		const sut = new JobTracker({ api });
		sut.track(S8);
		const events = cutBefore(replayEvents('S8-reconnect-part1-before-disconnect', 'S8-reconnect-part2-after-reconnect'), 'execution_success');
		for (const event of events) sut.handle(event);
		sut.handle({ type: 'message', message: { type: 'executing', data: { node: null, prompt_id: S8 } } });
		await settle();
		expect(sut.get(S8)!.status).toBe('succeeded');
	});

	it('reports a job that the server acknowledged and then forgot as failed, with a reason', async () => {
		const { api } = fakeApi({ history: null });
		const sut = new JobTracker({ api });
		sut.track(S8);
		for (const event of replayEvents('S8-reconnect-part1-before-disconnect')) sut.handle(event);
		await sut.reconcile();
		expect(sut.get(S8)!.status).toBe('failed');
		expect(sut.get(S8)!.error?.message).toMatch(/no longer knows/);
	});

	it('leaves a job that the server never acknowledged queued (its POST may still be on the way)', async () => {
		const { api } = fakeApi({ history: null });
		const sut = new JobTracker({ api });
		sut.track(S8);
		await sut.reconcile();
		expect(sut.get(S8)!.status).toBe('queued');
	});

	it('settles an interrupted job from the recorded interrupted history', async () => {
		const id = '2906f69d-c8f9-4df3-bcd0-c21d9e7eb6db';
		const history = httpJson<Record<string, HistoryEntry>>('history_interrupted')[id];
		const sut = new JobTracker({ api: fakeApi({ history }).api });
		sut.track(id);
		await sut.reconcile();
		expect(sut.get(id)!.status).toBe('interrupted');
	});

	it('settles a failed job from the recorded runtime-error history, keeping the node and message', async () => {
		const id = '0e336d5c-7579-485a-8871-8a1e816b595d';
		const history = httpJson<Record<string, HistoryEntry>>('history_runtime_error')[id];
		const sut = new JobTracker({ api: fakeApi({ history }).api });
		sut.track(id);
		await sut.reconcile();
		expect(sut.get(id)).toMatchObject({ status: 'failed', error: { nodeId: '2', nodeType: 'ProbeFail', message: 'deliberate probe failure' } });
	});

	it('shares one pass between concurrent calls', async () => {
		const { api, calls } = fakeApi({ history: s8History() });
		const sut = new JobTracker({ api });
		sut.track(S8);
		await Promise.all([sut.reconcile(), sut.reconcile()]);
		expect(calls).toEqual(['queue', `history ${S8}`]);
	});

	it('runs one more pass when asked again during a pass, never two at once', async () => {
		const queue: QueueState = { queue_running: [[0, S8, {}, {}, ['2']]], queue_pending: [] };
		const { api, calls } = fakeApi({ queue });
		const sut = new JobTracker({ api });
		sut.track(S8);
		const first = sut.reconcile();
		const second = sut.reconcile();
		expect(second).toBe(first);
		await first;
		await settle();
		expect(calls).toEqual(['queue', 'queue']);
	});

	it('checks history for a job still open when the server announces an empty queue', async () => {
		const { api, calls } = fakeApi({ history: s8History() });
		const sut = new JobTracker({ api });
		sut.track(S8);
		for (const event of replayEvents('S8-reconnect-part1-before-disconnect')) sut.handle(event);
		sut.handle({ type: 'message', message: { type: 'status', data: { status: { exec_info: { queue_remaining: 0 } } } } });
		await settle();
		expect(calls.filter((c) => c.startsWith('history'))).toEqual([`history ${S8}`]);
		expect(sut.get(S8)!.status).toBe('succeeded');
	});

	it('does not ask history on an empty queue for a job the server has not acknowledged yet', async () => {
		const { api, calls } = fakeApi({ history: null });
		const sut = new JobTracker({ api });
		sut.track(S8);
		sut.handle({ type: 'message', message: { type: 'status', data: { status: { exec_info: { queue_remaining: 0 } } } } });
		await settle();
		expect(calls).toEqual([]);
	});

	it('survives a queue that cannot be read and still consults history', async () => {
		const api = {
			getQueue: async (): Promise<QueueState> => {
				throw new ComfyError('timeout', 'slow');
			},
			getHistory: async () => s8History()
		};
		const sut = new JobTracker({ api });
		sut.track(S8);
		await sut.reconcile();
		expect(sut.get(S8)!.status).toBe('succeeded');
	});
});
