import { describe, expect, it } from 'vitest';
import { encodePreviewFrame } from '../comfy/frames';
import type { ComfyEvent } from '../comfy/events';
import { CLOSE_REVOKED, CLOSE_TOO_MANY_SOCKETS, bytesToBase64, type RelaySnapshot } from './protocol';
import { RelaySocket } from './relay-socket';

/** The smallest WebSocket the RelaySocket needs, driven by the test. */
class FakeSocket {
	static all: FakeSocket[] = [];
	binaryType = 'blob';
	readyState = 0;
	sent: string[] = [];
	onopen: (() => void) | null = null;
	onmessage: ((e: { data: unknown }) => void) | null = null;
	onclose: ((e: { code: number; reason: string }) => void) | null = null;
	onerror: (() => void) | null = null;
	constructor(readonly url: string) {
		FakeSocket.all.push(this);
	}
	send(data: string) {
		this.sent.push(data);
	}
	close() {
		this.readyState = 3;
	}
	open() {
		this.readyState = 1;
		this.onopen?.();
	}
	receive(data: unknown) {
		this.onmessage?.({ data });
	}
	drop(code = 1006, reason = '') {
		this.readyState = 3;
		this.onclose?.({ code, reason });
	}
}

function ticketFetch(status = 200) {
	const calls: string[] = [];
	const impl = (async (url: string, init: RequestInit) => {
		calls.push(`${url} ${new Headers(init.headers).get('Authorization')}`);
		return new Response(status === 200 ? JSON.stringify({ ticket: `t${calls.length}`, expiresAt: 0 }) : null, { status });
	}) as unknown as typeof fetch;
	return { impl, calls };
}

function makeSocket(fetchImpl: typeof fetch) {
	FakeSocket.all = [];
	const sut = new RelaySocket({
		origin: 'https://pocket.example.com',
		token: 'dev.secret',
		fetch: fetchImpl,
		WebSocketImpl: FakeSocket as unknown as typeof WebSocket,
		backoff: { minMs: 1, maxMs: 2 },
		keepaliveMs: 0
	});
	const events: ComfyEvent[] = [];
	sut.subscribe((e) => events.push(e));
	return { sut, events };
}

const hello = (seq: number, extra: Record<string, unknown> = {}) => JSON.stringify({ t: 'hello', seq, epoch: 'e1', resumed: false, simulated: false, ...extra });
const tick = () => new Promise((r) => setTimeout(r, 10));

/** A RelaySocket whose first socket is open and greeted with `hello` (seq `seq`). */
async function greeted(seq = 0, extra: Record<string, unknown> = {}) {
	const made = makeSocket(ticketFetch().impl);
	made.sut.connect();
	await tick();
	const ws = FakeSocket.all[0];
	ws.open();
	ws.receive(hello(seq, extra));
	return { ...made, ws };
}
const messages = (events: ComfyEvent[]) => events.flatMap((e) => (e.type === 'message' ? [e.message.type] : []));
const comfy = (seq: number, m: unknown) => JSON.stringify({ t: 'comfy', seq, m });

describe('RelaySocket', () => {
	it('asks for a ticket with the device token, then opens the socket with only the ticket in the URL', async () => {
		const { impl, calls } = ticketFetch();
		const { sut } = makeSocket(impl);
		sut.connect();
		await tick();
		expect(calls).toEqual(['https://pocket.example.com/relay/ticket Bearer dev.secret']);
		expect(FakeSocket.all[0].url).toBe('wss://pocket.example.com/relay/ws?ticket=t1');
		expect(FakeSocket.all[0].url).not.toContain('secret');
	});

	it('emits ComfyUI messages and previews as the same ComfyEvents a direct socket would', async () => {
		const { sut, events, ws } = await greeted();
		ws.receive(comfy(1, { type: 'execution_start', data: { prompt_id: 'p1' } }));
		const frame = encodePreviewFrame({ imageType: 'image/jpeg', image: new Uint8Array([255, 216, 1, 2]), meta: { prompt_id: 'p1', node_id: '3' } });
		ws.receive(frame.buffer);
		ws.receive(comfy(3, { type: 'custom.node.thing', data: {} }));
		expect(messages(events)).toEqual(['execution_start']);
		const preview = events.find((e) => e.type === 'preview');
		expect(preview).toMatchObject({ promptId: 'p1', nodeId: '3', mime: 'image/jpeg' });
		expect(ws.sent).toEqual([]);
		await new Promise((r) => setTimeout(r, 150));
		expect(ws.sent).toEqual(['{"t":"ack","seq":2,"n":1}']);
		expect(sut.state.status).toBe('live');
		expect(sut.relay.seq).toBe(3);
	});

	it('acknowledges previews in batches of four, so the relay gets a quarter of the messages', async () => {
		const { ws } = await greeted();
		const frame = encodePreviewFrame({ imageType: 'image/jpeg', image: new Uint8Array([1]) });
		for (let i = 0; i < 9; i++) ws.receive(frame.slice().buffer);
		expect(ws.sent).toEqual(['{"t":"ack","seq":4,"n":4}', '{"t":"ack","seq":8,"n":4}']);
		await new Promise((r) => setTimeout(r, 150));
		expect(ws.sent.at(-1)).toBe('{"t":"ack","seq":9,"n":1}');
	});

	it('resumes from the last seq of the same epoch after the socket drops', async () => {
		const { sut, ws } = await greeted(5);
		ws.receive(comfy(6, { type: 'execution_start', data: { prompt_id: 'p1' } }));
		ws.receive(new Uint8Array([0, 0, 0, 1, 0, 0, 0, 1, 9]).buffer);
		ws.drop();
		expect(sut.state.status).toBe('reconnecting');
		await tick();
		expect(FakeSocket.all[1].url).toBe('wss://pocket.example.com/relay/ws?ticket=t2&since=7&epoch=e1');
	});

	it('counts on from the hello after a replay of older envelopes, so the next resume asks for nothing twice', async () => {
		const { sut, ws, events } = await greeted(10, { resumed: true });
		ws.receive(comfy(7, { type: 'execution_start', data: { prompt_id: 'p1' } }));
		ws.receive(comfy(9, { type: 'execution_success', data: { prompt_id: 'p1' } }));
		expect(sut.relay.seq).toBe(10);
		ws.receive(new Uint8Array([0, 0, 0, 1, 0, 0, 0, 1, 9]).buffer);
		expect(sut.relay.seq).toBe(11);
		expect(messages(events)).toEqual(['execution_start', 'execution_success']);
	});

	it('turns a snapshot into events: finished results, the running prompt and its last preview', async () => {
		const { sut, events } = makeSocket(ticketFetch().impl);
		sut.connect();
		await tick();
		const frame = encodePreviewFrame({ imageType: 'image/jpeg', image: new Uint8Array([1, 2, 3]), meta: { prompt_id: 'p2' } });
		const snapshot: RelaySnapshot = {
			queueRemaining: 1,
			running: { promptId: 'p2', nodeId: '3', progress: { value: 4, max: 20, nodeId: '3' }, cachedNodes: ['1'], startedAt: 1 },
			lastPreview: { seq: 9, frame: bytesToBase64(frame) },
			recentResults: [{ promptId: 'p1', status: 'succeeded', outputs: { '9': { images: [{ filename: 'a.png', subfolder: '', type: 'output' }] } }, endedAt: 1, source: 'live' }],
			upstream: { status: 'live', since: 1, attempt: 0 }
		};
		FakeSocket.all[0].open();
		FakeSocket.all[0].receive(hello(10, { snapshot }));
		expect(messages(events)).toEqual(['status', 'executed', 'execution_success', 'executing', 'execution_start', 'execution_cached', 'executing', 'progress']);
		expect(events.filter((e) => e.type === 'preview')).toMatchObject([{ type: 'preview', promptId: 'p2', image: new Uint8Array([1, 2, 3]) }]);
	});

	it('reports reconnecting while the relay has lost ComfyUI, and offline when Access refuses it', async () => {
		const { sut, ws } = await greeted();
		ws.receive(JSON.stringify({ t: 'upstream', seq: 1, state: { status: 'connecting', since: 1, attempt: 0 } }));
		expect(sut.state.status).toBe('connecting');
		ws.receive(JSON.stringify({ t: 'upstream', seq: 1, state: { status: 'backoff', since: 1, attempt: 1, error: 'closed' } }));
		expect(sut.state).toMatchObject({ status: 'reconnecting', error: 'The relay is reconnecting to ComfyUI: closed' });
		ws.receive(JSON.stringify({ t: 'upstream', seq: 2, state: { status: 'live', since: 2, attempt: 0 } }));
		expect(sut.state.status).toBe('live');
		ws.receive(JSON.stringify({ t: 'upstream', seq: 3, state: { status: 'unauthorized', since: 3, attempt: 1, error: 'token expired' } }));
		expect(sut.state).toMatchObject({ status: 'offline', error: 'token expired' });
	});

	it('stops retrying and says so when the device was revoked', async () => {
		const { sut } = makeSocket(ticketFetch().impl);
		sut.connect();
		await tick();
		FakeSocket.all[0].open();
		FakeSocket.all[0].drop(CLOSE_REVOKED, 'device revoked');
		await tick();
		expect(sut.state.status).toBe('offline');
		expect(sut.state.error).toMatch(/unpaired/);
		expect(FakeSocket.all).toHaveLength(1);

		const refused = makeSocket(ticketFetch(401).impl);
		refused.sut.connect();
		await tick();
		expect(refused.sut.state.status).toBe('offline');
		expect(FakeSocket.all).toHaveLength(0);
	});

	it('does not reconnect by itself when the relay closed it as its device’s oldest socket, only when shown again', async () => {
		const { sut, ws } = await greeted(5);
		ws.drop(CLOSE_TOO_MANY_SOCKETS, 'too many connections from this device; this was the oldest');
		await tick();
		await tick();
		// A timed retry would close another tab's socket, which would retry and close the next: no new socket.
		expect(FakeSocket.all).toHaveLength(1);
		expect(sut.state.status).toBe('offline');
		expect(sut.state.error).toMatch(/too many tabs or windows/);
		// The tab is shown again (the session calls retryNow on visibilitychange): it takes a connection back, resuming.
		sut.retryNow();
		await tick();
		expect(FakeSocket.all).toHaveLength(2);
		expect(FakeSocket.all[1].url).toContain('since=5');
		expect(sut.state.status).toBe('connecting');
	});

	it('closes cleanly and emits idle', async () => {
		const { sut } = makeSocket(ticketFetch().impl);
		sut.connect();
		await tick();
		sut.close();
		expect(sut.state.status).toBe('idle');
	});
});
