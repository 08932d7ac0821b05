import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ComfySocket } from '$lib/comfy/socket';
import { JobTracker } from '$lib/comfy/jobs';
import type { HistoryEntry, QueueState } from '$lib/comfy/types';
import { httpJson, transcript } from './capture-files';
import { asWebSocket, FakeWebSocket } from './fake-websocket';
import { wirePayload } from './replay';

const S8 = '4f00e805-2e5a-4d41-9121-4ac512f8c21a';

beforeEach(() => {
	FakeWebSocket.reset();
	vi.useFakeTimers();
});

afterEach(() => {
	vi.useRealTimers();
});

function play(ws: FakeWebSocket, name: string, until?: (type: string) => boolean): void {
	for (const line of transcript(name)) {
		if (line.kind === 'text' && until?.(line.msg!.type)) return;
		const payload = wirePayload(line);
		if (payload !== null) ws.serverSend(payload);
	}
}

describe('S8 through a real ComfySocket and JobTracker', () => {
	it('loses the socket mid-run, reconnects with the same client id and ends with the result from history', async () => {
		const s1 = httpJson<Record<string, HistoryEntry>>('history_by_id')['39e7a346-b086-4168-bf5d-6e7ca66f9bc8'];
		// No /history was recorded for S8; S1 ran the same graph, so its entry stands in with S8's id and file.
		const history = JSON.parse(
			JSON.stringify(s1).replaceAll('39e7a346-b086-4168-bf5d-6e7ca66f9bc8', S8).replace('probe_00001_', 'probe_reconnect_00001_')
		) as HistoryEntry;
		let serverFinished = false;
		const api = {
			getQueue: async (): Promise<QueueState> => ({
				queue_running: serverFinished ? [] : [[0, S8, {}, { client_id: 'probe-client-E' }, ['2']]],
				queue_pending: []
			}),
			getHistory: async (id: string) => (serverFinished && id === S8 ? history : null)
		};
		const socket = new ComfySocket({ url: 'http://127.0.0.1:8188', clientId: 'probe-client-E', WebSocketImpl: asWebSocket, keepaliveMs: 0, random: () => 0 });
		const sut = new JobTracker({ api });
		let wasLive = false;
		socket.subscribe((event) => {
			sut.handle(event);
			if (event.type !== 'connection') return;
			if (event.state.status === 'live' && !wasLive) void sut.reconcile();
			wasLive = event.state.status === 'live';
		});
		sut.track(S8, { nodeTitles: { '1': 'Slow noise', '2': 'Save' } });
		socket.connect();
		FakeWebSocket.last.serverOpen();
		play(FakeWebSocket.last, 'S8-reconnect-part1-before-disconnect');
		expect(sut.get(S8)).toMatchObject({ status: 'running', step: { value: 2, max: 12 } });

		FakeWebSocket.last.serverClose(1006);
		expect(socket.state.status).toBe('reconnecting');
		await vi.advanceTimersByTimeAsync(1000);
		expect(FakeWebSocket.instances).toHaveLength(2);
		expect(FakeWebSocket.last.url).toBe('ws://127.0.0.1:8188/ws?clientId=probe-client-E');
		FakeWebSocket.last.serverOpen();
		// The reconnected socket misses the end of the run: it drops again right before the executed message.
		play(FakeWebSocket.last, 'S8-reconnect-part2-after-reconnect', (type) => type === 'executed');
		expect(sut.get(S8)).toMatchObject({ status: 'running', node: { id: '2', title: 'Save' } });
		FakeWebSocket.last.serverClose(1006);
		serverFinished = true;
		await vi.advanceTimersByTimeAsync(1000);
		FakeWebSocket.last.serverOpen();
		FakeWebSocket.last.serverSend('{"type": "status", "data": {"status": {"exec_info": {"queue_remaining": 0}}, "sid": "probe-client-E"}}');
		await vi.advanceTimersByTimeAsync(0);

		expect(sut.get(S8)).toMatchObject({
			status: 'succeeded',
			progress: 1,
			outputs: { '2': { images: [{ filename: 'probe_reconnect_00001_.png', subfolder: '', type: 'output' }] } }
		});
		socket.close();
	});
});
