// The relay's pure parts, on the recorded history of a real ComfyUI: rebuilding outcomes after a gap, the replay
// log, and the state a late phone's snapshot is made from.
import { describe, expect, it } from 'vitest';
import { toMessage } from '../../src/lib/comfy/messages';
import type { History, HistoryEntry, QueueState } from '../../src/lib/comfy/types';
import { EventLog } from '../../durable-objects/src/event-log';
import { historyToMessages, reconcile } from '../../durable-objects/src/reconcile';
import { RelayState } from '../../durable-objects/src/relay-state';
import success from '../fixtures/captures/http/history_by_id.json';
import failure from '../fixtures/captures/http/history_runtime_error.json';
import interrupted from '../fixtures/captures/http/history_interrupted.json';

function only(capture: { response: { json: unknown } }): [string, HistoryEntry] {
	const [entry] = Object.entries(capture.response.json as History);
	return entry;
}

const types = (messages: Record<string, unknown>[]) => messages.map((m) => m.type);

describe('outcomes rebuilt from /history after an upstream gap', () => {
	it('turns a successful entry into executed, execution_success and the final executing', () => {
		const [id, entry] = only(success);
		const messages = historyToMessages(id, entry);
		expect(types(messages)).toEqual(['executed', 'execution_success', 'executing']);
		expect(messages.every((m) => toMessage(m) !== null)).toBe(true);
		expect(messages[0]).toMatchObject({ data: { node: '2', output: { images: [{ filename: 'probe_00001_.png' }] }, prompt_id: id } });
	});

	it('keeps the node, type and message of a recorded failure, and an interruption as such', () => {
		const [id, entry] = only(failure);
		const failed = historyToMessages(id, entry);
		expect(types(failed)).toEqual(['execution_error', 'executing']);
		expect(failed[0]).toMatchObject({ data: { node_id: '2', node_type: 'ProbeFail', exception_type: 'RuntimeError' } });
		const [stoppedId, stoppedEntry] = only(interrupted);
		expect(types(historyToMessages(stoppedId, stoppedEntry))).toEqual(['execution_interrupted', 'executing']);
	});

	it('sorts tracked prompts into still pending, ended and lost', async () => {
		const [doneId, doneEntry] = only(success);
		const queue: QueueState = { queue_running: [[1, 'running', {}, {}, []]], queue_pending: [[2, 'waiting', {}, {}, []]] };
		const outcome = await reconcile(
			{ getQueue: async () => queue, getHistory: async (id) => (id === doneId ? doneEntry : null) },
			['running', 'waiting', doneId, 'forgotten']
		);
		expect(outcome?.pending).toEqual(['running', 'waiting']);
		expect(outcome?.ended.map((e) => e.promptId)).toEqual([doneId]);
		expect(outcome?.lost).toEqual(['forgotten']);
	});

	it('gives up (to try again later) when ComfyUI cannot be asked', async () => {
		const outcome = await reconcile(
			{
				getQueue: async () => {
					throw new Error('tunnel down');
				},
				getHistory: async () => null
			},
			['a']
		);
		expect(outcome).toBeNull();
	});
});

describe('the replay log', () => {
	it('replays the envelopes after a seq, counting previews without keeping them', () => {
		const log = new EventLog({ maxEntries: 10, maxBytes: 10_000 });
		log.append((seq) => `t${seq}`);
		log.next();
		log.append((seq) => `t${seq}`);
		expect(log.seq).toBe(3);
		expect(log.since(0)).toEqual(['t1', 't3']);
		expect(log.since(1)).toEqual(['t3']);
		expect(log.since(3)).toEqual([]);
		expect(log.since(4)).toBeNull();
	});

	it('refuses a replay that would have a hole once old envelopes are evicted', () => {
		const log = new EventLog({ maxEntries: 3, maxBytes: 10_000 });
		for (let i = 0; i < 5; i++) log.append((seq) => `t${seq}`);
		expect(log.since(1)).toBeNull();
		expect(log.since(2)).toEqual(['t3', 't4', 't5']);
	});
});

describe('the state behind the snapshot', () => {
	const run = (promptId: string) =>
		[
			{ type: 'execution_start', data: { prompt_id: promptId } },
			{ type: 'execution_cached', data: { prompt_id: promptId, nodes: ['4'] } },
			{ type: 'executing', data: { node: '3', display_node: '3', prompt_id: promptId } },
			{ type: 'progress', data: { value: 5, max: 20, prompt_id: promptId, node: '3' } }
		].map((m) => toMessage(m)!);

	it('knows the running prompt, its node, progress and latest preview', () => {
		const sut = new RelayState();
		for (const m of run('p1')) sut.apply(m);
		sut.notePreview(7, new Uint8Array([0, 0, 0, 1, 0, 0, 0, 1, 42]));
		const snapshot = sut.snapshot({ status: 'live', since: 0, attempt: 0 });
		expect(snapshot.running).toMatchObject({ promptId: 'p1', nodeId: '3', progress: { value: 5, max: 20 }, cachedNodes: ['4'] });
		expect(snapshot.lastPreview?.seq).toBe(7);
	});

	it('records how a prompt ended, with its outputs, once, and forgets it as running', () => {
		const sut = new RelayState();
		for (const m of run('p1')) sut.apply(m);
		sut.apply(toMessage({ type: 'executed', data: { node: '9', output: { images: [{ filename: 'a.png', subfolder: '', type: 'output' }] }, prompt_id: 'p1' } })!);
		const ended = sut.apply(toMessage({ type: 'execution_success', data: { prompt_id: 'p1' } })!);
		expect(ended).toMatchObject({ promptId: 'p1', status: 'succeeded', outputs: { '9': { images: [{ filename: 'a.png' }] } } });
		expect(sut.apply(toMessage({ type: 'execution_success', data: { prompt_id: 'p1' } })!)).toBeNull();
		const snapshot = sut.snapshot({ status: 'live', since: 0, attempt: 0 });
		expect(snapshot.running).toBeNull();
		expect(snapshot.lastPreview).toBeNull();
		expect(snapshot.recentResults.map((r) => r.promptId)).toEqual(['p1']);
	});
});
