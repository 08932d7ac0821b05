import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { followJobs } from '$lib/comfy/follow';
import { JobTracker } from '$lib/comfy/jobs';
import { ComfySocket } from '$lib/comfy/socket';
import type { HistoryEntry, QueueState } from '$lib/comfy/types';
import { httpJson } from './capture-files';
import { asWebSocket, FakeWebSocket } from './fake-websocket';

const S1 = '39e7a346-b086-4168-bf5d-6e7ca66f9bc8';
const HANDSHAKE = '{"type": "status", "data": {"status": {"exec_info": {"queue_remaining": 0}}, "sid": "me"}}';

function setup(serverDone: () => boolean) {
	const calls: string[] = [];
	const api = {
		getQueue: async (): Promise<QueueState> => {
			calls.push('queue');
			return { queue_running: serverDone() ? [] : [[0, S1, {}, {}, ['2']]], queue_pending: [] };
		},
		getHistory: async (id: string): Promise<HistoryEntry | null> => {
			calls.push('history');
			return serverDone() ? httpJson<Record<string, HistoryEntry>>('history_by_id')[id] : null;
		}
	};
	const socket = new ComfySocket({ url: 'http://h:8188', clientId: 'me', WebSocketImpl: asWebSocket, keepaliveMs: 0, backoff: { minMs: 60_000, maxMs: 60_000 } });
	const tracker = new JobTracker({ api });
	tracker.track(S1);
	return { socket, tracker, calls };
}

beforeEach(() => {
	FakeWebSocket.reset();
	vi.useFakeTimers();
});

afterEach(() => {
	vi.useRealTimers();
});

describe('followJobs', () => {
	it('polls while the socket cannot connect, and the job still finishes from history', async () => {
		let done = false;
		const { socket, tracker, calls } = setup(() => done);
		const stop = followJobs(socket, tracker, { pollMs: 1000 });
		socket.connect();
		FakeWebSocket.last.serverClose(1006);
		await vi.advanceTimersByTimeAsync(1000);
		expect(calls).toEqual(['queue']);
		expect(tracker.get(S1)!.status).toBe('running');
		done = true;
		await vi.advanceTimersByTimeAsync(1000);
		expect(tracker.get(S1)!.status).toBe('succeeded');
		const after = calls.length;
		await vi.advanceTimersByTimeAsync(5000);
		expect(calls.length).toBe(after);
		stop();
		socket.close();
	});

	it('reconciles when the socket becomes live and stops polling then', async () => {
		const { socket, tracker, calls } = setup(() => false);
		const stop = followJobs(socket, tracker, { pollMs: 1000 });
		socket.connect();
		FakeWebSocket.last.serverOpen();
		FakeWebSocket.last.serverSend(HANDSHAKE);
		await vi.advanceTimersByTimeAsync(0);
		expect(calls).toEqual(['queue']);
		await vi.advanceTimersByTimeAsync(5000);
		expect(calls).toEqual(['queue']);
		stop();
		socket.close();
	});

	it('checks a running job against the server when a live socket stays silent too long', async () => {
		let done = false;
		const { socket, tracker, calls } = setup(() => done);
		const stop = followJobs(socket, tracker, { pollMs: 1000, silenceMs: 30_000, now: () => Date.now() });
		socket.connect();
		FakeWebSocket.last.serverOpen();
		FakeWebSocket.last.serverSend(HANDSHAKE);
		FakeWebSocket.last.serverSend(`{"type":"execution_start","data":{"prompt_id":"${S1}","timestamp":1}}`);
		await vi.advanceTimersByTimeAsync(0);
		const afterLive = calls.length;
		await vi.advanceTimersByTimeAsync(20_000);
		expect(calls.length).toBe(afterLive);
		done = true;
		await vi.advanceTimersByTimeAsync(20_000);
		expect(tracker.get(S1)!.status).toBe('succeeded');
		stop();
		socket.close();
	});

	it('stays quiet about a silent socket when no job runs', async () => {
		const { socket, tracker, calls } = setup(() => false);
		tracker.forget(S1);
		const stop = followJobs(socket, tracker, { silenceMs: 1000, now: () => Date.now() });
		socket.connect();
		FakeWebSocket.last.serverOpen();
		FakeWebSocket.last.serverSend(HANDSHAKE);
		await vi.advanceTimersByTimeAsync(10_000);
		expect(calls).toEqual([]);
		stop();
		socket.close();
	});

	it('stops feeding the tracker once stopped', () => {
		const { socket, tracker } = setup(() => false);
		const stop = followJobs(socket, tracker, { pollMs: 0 });
		stop();
		socket.connect();
		FakeWebSocket.last.serverOpen();
		FakeWebSocket.last.serverSend(`{"type":"execution_start","data":{"prompt_id":"${S1}","timestamp":1}}`);
		expect(tracker.get(S1)!.status).toBe('queued');
		socket.close();
	});
});
