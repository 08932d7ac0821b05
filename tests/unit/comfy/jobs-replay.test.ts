import { describe, expect, it } from 'vitest';
import { JobTracker, type JobState } from '$lib/comfy/jobs';
import type { ComfyEvent } from '$lib/comfy/events';
import type { HistoryEntry, QueueState } from '$lib/comfy/types';
import { httpJson } from './capture-files';
import { replayEvents } from './replay';

const S1 = '39e7a346-b086-4168-bf5d-6e7ca66f9bc8';
const S2 = 'ee9abf32-7fe6-4c75-aec7-5ab39f3e6d99';
const S3 = '9f666d15-fed2-4e52-9fc3-f329902241f8';
const S4 = '71c585eb-067b-4ef0-b290-bbeedce30efb';
const S5 = '2906f69d-c8f9-4df3-bcd0-c21d9e7eb6db';
const S5B_INTERRUPTED = 'fc56acf2-afca-4c12-81b4-22ed8b3110ee';
const S5B_SUCCEEDED = '1473ecb3-e253-48cb-8991-8de708f55225';
const S7 = '0e336d5c-7579-485a-8871-8a1e816b595d';
const S8 = '4f00e805-2e5a-4d41-9121-4ac512f8c21a';
const S12 = 'ae440c38-aa6f-4101-bfa5-b6f61ebc29ce';

const TWO_NODES = { nodeTitles: { '1': 'Slow noise', '2': 'Save image' } };

function historyEntry(file: string, promptId: string): HistoryEntry {
	return httpJson<Record<string, HistoryEntry>>(file)[promptId];
}

interface Run {
	sut: JobTracker;
	states: JobState[];
}

function replay(events: ComfyEvent[], promptIds: string[], tracker = new JobTracker({ now: () => 1000 })): Run {
	const states: JobState[] = [];
	for (const id of promptIds) tracker.track(id, TWO_NODES);
	tracker.subscribe((s) => states.push(s));
	for (const event of events) tracker.handle(event);
	return { sut: tracker, states };
}

describe('replaying the captured sessions through the job tracker', () => {
	it('S1: a normal run ends succeeded with the outputs the server recorded in history', () => {
		const { sut } = replay(replayEvents('S1-basic-clientA-submitter'), [S1]);
		const job = sut.get(S1)!;
		expect(job.status).toBe('succeeded');
		expect(job.outputs).toEqual(historyEntry('history_by_id', S1).outputs);
		expect(job.progress).toBe(1);
		expect(job.startedAt).toBe(1795686585516);
		expect(job.endedAt).toBe(1795686588581);
		expect(job.preview).toBeUndefined();
	});

	it('S1: while running, progress only grows, steps count up to 10 and only the latest preview is held', () => {
		const { states } = replay(replayEvents('S1-basic-clientA-submitter'), [S1]);
		const running = states.filter((s) => s.status === 'running');
		const progress = running.map((s) => s.progress);
		expect(progress).toEqual([...progress].sort((a, b) => a - b));
		expect(Math.max(...progress)).toBeLessThan(1);
		expect(Math.max(...progress)).toBeGreaterThan(0.8);
		expect(running.map((s) => s.step?.value).filter((v) => v !== undefined).at(-1)).toBe(10);
		expect(running.find((s) => s.step)?.node).toEqual({ id: '1', title: 'Slow noise' });
		const previews = new Set(running.map((s) => s.preview?.image).filter(Boolean));
		expect(previews.size).toBe(10);
		expect(running.at(-1)?.node).toEqual({ id: '2', title: 'Save image' });
	});

	it('S2: a fully cached rerun succeeds with every node cached and the old files', () => {
		const { sut } = replay(replayEvents('S2-cached-rerun-clientA'), [S2]);
		const job = sut.get(S2)!;
		expect(job.status).toBe('succeeded');
		expect(job.cachedNodes).toEqual(['1', '2']);
		expect(job.outputs).toEqual(historyEntry('history_cached', S2).outputs);
	});

	it('S3: metadata previews are attributed to their prompt by id', () => {
		const { sut, states } = replay(replayEvents('S3-featureflags-submitter-clientC'), [S3]);
		expect(sut.get(S3)!.status).toBe('succeeded');
		expect(states.some((s) => s.preview?.nodeId === '1' && s.preview.mime === 'image/jpeg')).toBe(true);
	});

	it('S3: metadata previews of a prompt we do not track are ignored', () => {
		const { sut, states } = replay(replayEvents('S3-featureflags-submitter-clientC'), ['someone-else']);
		expect(states).toEqual([]);
		expect(sut.get('someone-else')!.status).toBe('queued');
	});

	it('S4: PNG previews arrive and the PreviewImage output (type temp) is kept', () => {
		const { sut, states } = replay(replayEvents('S4-png-previews-PreviewImage-clientA'), [S4]);
		const job = sut.get(S4)!;
		expect(job.status).toBe('succeeded');
		expect(job.outputs).toEqual(historyEntry('history_previewimage', S4).outputs);
		expect(states.some((s) => s.preview?.mime === 'image/png')).toBe(true);
	});

	it('S5: a global interrupt ends the job interrupted, keeping its progress below 1', () => {
		const { sut } = replay(replayEvents('S5-interrupt-global-clientA'), [S5]);
		const job = sut.get(S5)!;
		expect(job.status).toBe('interrupted');
		expect(job.progress).toBeGreaterThan(0);
		expect(job.progress).toBeLessThan(0.2);
		expect(job.outputs).toEqual({});
	});

	it('S5b: of three queued prompts the interrupted one ends interrupted and the next one succeeds', () => {
		const { sut } = replay(replayEvents('S5b-queue-delete-targeted-interrupt-clientA'), [S5B_INTERRUPTED, S5B_SUCCEEDED]);
		expect(sut.get(S5B_INTERRUPTED)!.status).toBe('interrupted');
		const next = sut.get(S5B_SUCCEEDED)!;
		expect(next.status).toBe('succeeded');
		expect(next.outputs).toEqual(historyEntry('history_after_queue_ops', S5B_SUCCEEDED).outputs);
	});

	it('S5b: status broadcasts refresh the queue position of a waiting prompt', async () => {
		const queue = httpJson<QueueState>('queue_running_with_pending');
		const api = { getQueue: async () => queue, getHistory: async () => null };
		const sut = new JobTracker({ api });
		sut.track(S5B_SUCCEEDED);
		const events = replayEvents('S5b-queue-delete-targeted-interrupt-clientA');
		const firstStatus = events.findIndex((e) => e.type === 'message' && e.message.type === 'status');
		sut.handle(events[firstStatus]);
		await new Promise((r) => setTimeout(r, 0));
		expect(sut.get(S5B_SUCCEEDED)).toMatchObject({ status: 'queued', queuePosition: 1 });
	});

	it('S7: a runtime error ends failed with the node, its type and the server message', () => {
		const { sut } = replay(replayEvents('S7-runtime-error-clientA'), [S7]);
		const job = sut.get(S7)!;
		expect(job.status).toBe('failed');
		expect(job.error).toMatchObject({ nodeId: '2', nodeType: 'ProbeFail', message: 'deliberate probe failure' });
		expect(job.error?.traceback?.length).toBeGreaterThan(0);
	});

	it('S12: a text output and the broadcast progress text do not disturb the job', () => {
		const { sut } = replay(replayEvents('S12-progress-text-clientA'), [S12]);
		const job = sut.get(S12)!;
		expect(job.status).toBe('succeeded');
		expect(job.outputs).toEqual(historyEntry('history_previewany_text', S12).outputs);
	});

	it('S10: thirty steps without delay end succeeded, the bar having passed through every step', () => {
		const id = '80312910-61d5-4c2c-bf6c-1e8a7c0b2ae6';
		const { sut, states } = replay(replayEvents('S10-fast-previews-512-clientA'), [id]);
		expect(sut.get(id)!.status).toBe('succeeded');
		const steps = new Set(states.map((s) => s.step?.value).filter((v) => v !== undefined));
		expect(steps.size).toBe(30);
	});

	it('S11: a 1024x768 run ends with the file the server recorded in history', () => {
		const id = '85978738-0642-453c-bdc1-7e8370b427cc';
		const { sut } = replay(replayEvents('S11-1024x768-clientA'), [id]);
		expect(sut.get(id)!.outputs).toEqual(historyEntry('history_all_final', id).outputs);
	});

	it('S1 seen from another client id: only status arrives, so the job stays queued', () => {
		const { sut, states } = replay(replayEvents('S1-basic-clientB-other-clientId'), [S1]);
		expect(states).toEqual([]);
		expect(sut.get(S1)!.status).toBe('queued');
	});
});
