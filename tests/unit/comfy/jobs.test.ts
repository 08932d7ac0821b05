import { describe, expect, it } from 'vitest';
import { JobTracker, type JobState } from '$lib/comfy/jobs';
import type { ComfyEvent } from '$lib/comfy/events';
import type { ComfyMessage } from '$lib/comfy/messages';
import type { HistoryEntry, QueueState } from '$lib/comfy/types';

const msg = (message: ComfyMessage): ComfyEvent => ({ type: 'message', message });
const start = (id: string) => msg({ type: 'execution_start', data: { prompt_id: id, timestamp: 10 } });
const executing = (id: string | undefined, node: string | null, display?: string) =>
	msg({ type: 'executing', data: { node, ...(display ? { display_node: display } : {}), ...(id ? { prompt_id: id } : {}) } });
const preview = (promptId?: string, byte = 1): ComfyEvent => ({ type: 'preview', mime: 'image/jpeg', image: new Uint8Array([byte]), ...(promptId ? { promptId } : {}) });

function tracker(now = () => 500) {
	const sut = new JobTracker({ now });
	const states: JobState[] = [];
	sut.subscribe((s) => states.push(s));
	return { sut, states };
}

describe('JobTracker basics', () => {
	it('starts a tracked job as queued with nothing produced', () => {
		const { sut } = tracker();
		expect(sut.track('p')).toEqual({ promptId: 'p', status: 'queued', progress: 0, outputs: {}, cachedNodes: [] });
		expect(sut.list().map((j) => j.promptId)).toEqual(['p']);
	});

	it('takes node ids, titles and samplers from the prompt, letting explicit options win', () => {
		const { sut } = tracker();
		const prompt = {
			'3': { class_type: 'KSampler', inputs: {}, _meta: { title: 'Sampler' } },
			'9': { class_type: 'SaveImage', inputs: {} },
			'4': { class_type: 'CheckpointLoaderSimple', inputs: {} }
		};
		sut.track('p', { prompt, nodeTitles: { '3': 'Mine', '9': 'Save', '4': 'Load' } });
		sut.handle(start('p'));
		sut.handle(executing('p', '3'));
		expect(sut.get('p')!.node).toEqual({ id: '3', title: 'Mine' });
		sut.handle(executing('p', '4'));
		// The sampler (weight 10) is done, the two light nodes are not: 10 of 12 units.
		expect(sut.get('p')!.progress).toBeCloseTo(10 / 12);
		sut.track('q', { prompt });
		sut.handle(start('q'));
		sut.handle(executing('q', '9'));
		expect(sut.get('q')!.node).toEqual({ id: '9', title: 'SaveImage' });
	});

	it('ignores events about prompts it does not track', () => {
		const { sut, states } = tracker();
		sut.track('mine');
		sut.handle(start('theirs'));
		sut.handle(preview('theirs'));
		expect(states).toEqual([]);
	});

	it('gives a legacy preview to the running job, and drops it when nothing of ours runs', () => {
		const { sut } = tracker();
		sut.track('p');
		sut.handle(preview(undefined, 1));
		expect(sut.get('p')!.preview).toBeUndefined();
		sut.handle(start('p'));
		sut.handle(preview(undefined, 2));
		expect(sut.get('p')!.preview).toEqual({ mime: 'image/jpeg', image: new Uint8Array([2]), at: 500 });
	});

	it('keeps only the latest preview and drops it when the job ends', () => {
		const { sut } = tracker();
		sut.track('p');
		sut.handle(start('p'));
		for (let i = 0; i < 50; i++) sut.handle(preview('p', i));
		expect(sut.get('p')!.preview?.image).toEqual(new Uint8Array([49]));
		sut.handle(msg({ type: 'execution_success', data: { prompt_id: 'p', timestamp: 20 } }));
		sut.handle(preview('p', 99));
		expect(sut.get('p')!.preview).toBeUndefined();
	});

	it('names the running node by its display id and title, and clears the step on a new node', () => {
		const { sut } = tracker();
		sut.track('p', { nodeTitles: { '12': 'Upscale group', '5': 'KSampler' } });
		sut.handle(start('p'));
		sut.handle(executing('p', '5'));
		sut.handle(msg({ type: 'progress', data: { value: 3, max: 20, prompt_id: 'p', node: '5' } }));
		expect(sut.get('p')).toMatchObject({ node: { id: '5', title: 'KSampler' }, step: { value: 3, max: 20 } });
		sut.handle(executing('p', '12:3', '12'));
		expect(sut.get('p')!.node).toEqual({ id: '12', title: 'Upscale group' });
		expect(sut.get('p')!.step).toBeUndefined();
	});

	it('keeps the step while the same inner node of a subgraph reports again, and marks the previous node done', () => {
		const { sut } = tracker();
		sut.track('p', { nodeIds: ['12:3', '12:4'] });
		sut.handle(start('p'));
		sut.handle(executing('p', '12:3', '12'));
		sut.handle(msg({ type: 'progress', data: { value: 5, max: 10, prompt_id: 'p' } }));
		sut.handle(executing('p', '12:3', '12'));
		expect(sut.get('p')!.step).toEqual({ value: 5, max: 10 });
		const before = sut.get('p')!.progress;
		sut.handle(executing('p', '12:4', '12'));
		expect(sut.get('p')!.step).toBeUndefined();
		// 12:3 (10 steps, heavy) is now done: 10 of 11 weight units.
		expect(sut.get('p')!.progress).toBeGreaterThan(before);
		expect(sut.get('p')!.progress).toBeCloseTo(10 / 11);
	});

	it('counts a job as running from its first event even if execution_start was missed', () => {
		const { sut } = tracker();
		sut.track('p');
		sut.handle(msg({ type: 'progress', data: { value: 1, max: 4, prompt_id: 'p', node: '3' } }));
		expect(sut.get('p')).toMatchObject({ status: 'running', startedAt: 500 });
	});

	it('keeps outputs per node and ignores the null output of a cached node', () => {
		const { sut } = tracker();
		sut.track('p');
		sut.handle(msg({ type: 'executed', data: { node: '9', prompt_id: 'p', output: { text: ['a'] } } }));
		sut.handle(msg({ type: 'executed', data: { node: '10', prompt_id: 'p', output: null } }));
		expect(sut.get('p')!.outputs).toEqual({ '9': { text: ['a'] } });
	});

	it('does not change a finished job any more', () => {
		const { sut } = tracker();
		sut.track('p');
		sut.handle(start('p'));
		sut.handle(msg({ type: 'execution_interrupted', data: { prompt_id: 'p', node_id: '1', node_type: 'X', timestamp: 30 } }));
		sut.handle(msg({ type: 'execution_success', data: { prompt_id: 'p', timestamp: 40 } }));
		expect(sut.get('p')).toMatchObject({ status: 'interrupted', endedAt: 30 });
	});

	it('forgets a job on request, and tracking it again only updates its options', () => {
		const { sut } = tracker();
		sut.track('p', { nodeTitles: { '1': 'A' } });
		sut.handle(start('p'));
		sut.track('p', { nodeTitles: { '1': 'B' } });
		sut.handle(executing('p', '1'));
		expect(sut.get('p')).toMatchObject({ status: 'running', node: { title: 'B' } });
		sut.forget('p');
		expect(sut.get('p')).toBeUndefined();
	});

	it('keeps notifying other subscribers when one throws', () => {
		const { sut, states } = tracker();
		sut.subscribe(() => {
			throw new Error('subscriber bug');
		});
		sut.track('p');
		sut.handle(start('p'));
		expect(states.map((s) => s.status)).toEqual(['running']);
	});

	it('hands out copies: changing a reported state does not change the tracker', () => {
		const { sut } = tracker();
		sut.track('p');
		const copy = sut.get('p')!;
		copy.outputs['x'] = {};
		copy.cachedNodes.push('1');
		expect(sut.get('p')).toMatchObject({ outputs: {}, cachedNodes: [] });
	});
});

describe('JobTracker with a server to ask', () => {
	const item = (n: number, id: string): QueueState['queue_pending'][number] => [n, id, {}, {}, []];

	it('places pending prompts by (number, prompt id), not by the order the server lists them', async () => {
		const queue: QueueState = { queue_running: [item(1, 'r')], queue_pending: [item(4, 'late'), item(2, 'b'), item(2, 'a')] };
		const sut = new JobTracker({ api: { getQueue: async () => queue, getHistory: async () => null } });
		for (const id of ['a', 'b', 'late', 'r']) sut.track(id);
		await sut.reconcile();
		expect(sut.list().map((j) => [j.promptId, j.status, j.queuePosition])).toEqual([
			['a', 'queued', 1],
			['b', 'queued', 2],
			['late', 'queued', 3],
			['r', 'running', undefined]
		]);
	});

	it('treats an error history entry without messages as a failure with a generic reason', async () => {
		const entry = { prompt: [0, 'p', {}, {}, []], outputs: {}, status: { status_str: 'error', completed: false, messages: [] } } as unknown as HistoryEntry;
		const sut = new JobTracker({ api: { getQueue: async () => ({ queue_running: [], queue_pending: [] }), getHistory: async () => entry } });
		sut.track('p');
		await sut.reconcile();
		expect(sut.get('p')).toMatchObject({ status: 'failed', error: { message: 'The server reports that the job failed.' } });
	});

	it('marks jobs unfinished at a disconnect so their end is checked against history', async () => {
		const calls: string[] = [];
		const sut = new JobTracker({
			api: {
				getQueue: async () => ({ queue_running: [], queue_pending: [] }),
				getHistory: async (id: string) => {
					calls.push(id);
					return null;
				}
			}
		});
		sut.track('p');
		sut.handle(start('p'));
		sut.handle({ type: 'connection', state: { status: 'reconnecting', lastEventAt: null, attempt: 1 } });
		sut.handle(msg({ type: 'execution_success', data: { prompt_id: 'p', timestamp: 9 } }));
		await new Promise((r) => setTimeout(r, 0));
		expect(calls).toEqual(['p']);
		expect(sut.get('p')!.status).toBe('succeeded');
	});
});
