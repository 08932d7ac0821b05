import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ComfySocket, socketUrl } from '$lib/comfy/socket';
import type { ComfyEvent } from '$lib/comfy/events';
import type { ConnectionStatus } from '$lib/comfy/transport';
import { captureBytes } from './capture-files';
import { asWebSocket, FakeWebSocket } from './fake-websocket';

const HANDSHAKE = '{"type": "status", "data": {"status": {"exec_info": {"queue_remaining": 0}}, "sid": "me"}}';

function socket(opts: Partial<ConstructorParameters<typeof ComfySocket>[0]> = {}) {
	const sut = new ComfySocket({
		url: 'http://192.168.1.20:8188',
		clientId: 'me',
		WebSocketImpl: asWebSocket,
		backoff: { minMs: 100, maxMs: 1000 },
		keepaliveMs: 0,
		random: () => 1,
		...opts
	});
	const events: ComfyEvent[] = [];
	sut.subscribe((e) => events.push(e));
	const statuses = () => events.flatMap((e) => (e.type === 'connection' ? [e.state.status] : [])) as ConnectionStatus[];
	return { sut, events, statuses };
}

function goLive(ws: FakeWebSocket): void {
	ws.serverOpen();
	ws.serverSend(HANDSHAKE);
}

beforeEach(() => {
	FakeWebSocket.reset();
	vi.useFakeTimers();
});

afterEach(() => {
	vi.useRealTimers();
});

describe('socketUrl', () => {
	it('derives ws:// and wss:// URLs with the client id, keeping a base path', () => {
		expect(socketUrl('http://192.168.1.20:8188/', 'a b')).toBe('ws://192.168.1.20:8188/ws?clientId=a+b');
		expect(socketUrl('https://comfy.example.com/proxy', 'id')).toBe('wss://comfy.example.com/proxy/ws?clientId=id');
	});
});

describe('ComfySocket handshake', () => {
	it('sends feature_flags as its very first message so previews come with metadata', () => {
		const { sut } = socket();
		sut.connect();
		const ws = FakeWebSocket.last;
		expect(ws.url).toBe('ws://192.168.1.20:8188/ws?clientId=me');
		ws.serverOpen();
		expect(ws.sent).toEqual(['{"type":"feature_flags","data":{"supports_preview_metadata":true}}']);
		expect(ws.binaryType).toBe('arraybuffer');
	});

	it('is live only once the server status arrives, not when the socket opens', () => {
		const { sut, statuses } = socket();
		sut.connect();
		FakeWebSocket.last.serverOpen();
		expect(sut.state.status).toBe('connecting');
		FakeWebSocket.last.serverSend(HANDSHAKE);
		expect(statuses()).toEqual(['connecting', 'live']);
	});

	it('warns in the state when the server registered the socket under another id', () => {
		const { sut } = socket();
		sut.connect();
		FakeWebSocket.last.serverOpen();
		FakeWebSocket.last.serverSend('{"type": "status", "data": {"status": {"exec_info": {"queue_remaining": 0}}, "sid": "9f2c"}}');
		expect(sut.state.status).toBe('live');
		expect(sut.state.error).toMatch(/registered this connection as "9f2c" instead of "me"/);
	});

	it('emits decoded messages and preview frames and drops what it cannot decode', () => {
		const { sut, events } = socket({ now: () => 4242 });
		sut.connect();
		goLive(FakeWebSocket.last);
		FakeWebSocket.last.serverSend('{"type":"crystools.monitor","data":{}}');
		FakeWebSocket.last.serverSend(new Uint8Array([0, 0, 0, 9, 1]));
		FakeWebSocket.last.serverSend(captureBytes('frames/S3-metadata-preview-1.bin'));
		const kinds = events.filter((e) => e.type !== 'connection').map((e) => e.type);
		expect(kinds).toEqual(['message', 'preview']);
		expect(sut.state.lastEventAt).toBe(4242);
	});

	it('keeps delivering to other listeners when one throws', () => {
		const { sut, events } = socket();
		sut.subscribe(() => {
			throw new Error('listener bug');
		});
		sut.connect();
		goLive(FakeWebSocket.last);
		expect(events.some((e) => e.type === 'message')).toBe(true);
	});

	it('connects only once when connect is called twice', () => {
		const { sut } = socket();
		sut.connect();
		sut.connect();
		expect(FakeWebSocket.instances).toHaveLength(1);
	});
});

describe('ComfySocket reconnect', () => {
	it('reconnects after an unexpected close with the same client id, once the old socket is closed', () => {
		const { sut, statuses } = socket();
		sut.connect();
		goLive(FakeWebSocket.last);
		FakeWebSocket.last.serverClose(1006);
		expect(sut.state).toMatchObject({ status: 'reconnecting', attempt: 1 });
		expect(FakeWebSocket.instances).toHaveLength(1);
		vi.advanceTimersByTime(100);
		expect(FakeWebSocket.instances).toHaveLength(2);
		expect(FakeWebSocket.last.url).toBe(FakeWebSocket.instances[0].url);
		goLive(FakeWebSocket.last);
		expect(sut.state).toMatchObject({ status: 'live', attempt: 0 });
		expect(statuses()).toEqual(['connecting', 'live', 'reconnecting', 'live']);
	});

	it('backs off exponentially up to the maximum, with jitter between half and all of the delay', () => {
		const delays: number[] = [];
		for (const random of [0, 1]) {
			FakeWebSocket.reset();
			const { sut } = socket({ random: () => random, clientId: `jitter-${random}` });
			sut.connect();
			let waited = 0;
			const series: number[] = [];
			for (let attempt = 1; attempt <= 6; attempt++) {
				const before = FakeWebSocket.instances.length;
				FakeWebSocket.last.serverClose();
				waited = 0;
				while (FakeWebSocket.instances.length === before) {
					vi.advanceTimersByTime(10);
					waited += 10;
				}
				series.push(waited);
			}
			delays.push(...series);
			sut.close();
		}
		expect(delays.slice(0, 6)).toEqual([50, 100, 200, 400, 500, 500]);
		expect(delays.slice(6)).toEqual([100, 200, 400, 800, 1000, 1000]);
	});

	it('says offline after repeated failures but keeps trying', () => {
		const { sut } = socket({ offlineAfter: 2 });
		sut.connect();
		for (let i = 0; i < 3; i++) {
			FakeWebSocket.last.serverClose();
			vi.advanceTimersByTime(1000);
		}
		expect(sut.state).toMatchObject({ status: 'offline', attempt: 3 });
		expect(FakeWebSocket.instances).toHaveLength(4);
		goLive(FakeWebSocket.last);
		expect(sut.state.status).toBe('live');
	});

	it('retries at once when asked, skipping the backoff wait', () => {
		const { sut } = socket({ backoff: { minMs: 60_000, maxMs: 60_000 } });
		sut.connect();
		FakeWebSocket.last.serverClose();
		sut.retryNow();
		expect(FakeWebSocket.instances).toHaveLength(2);
	});

	it('keeps the close reason as the state error', () => {
		const { sut } = socket();
		sut.connect();
		FakeWebSocket.last.serverClose(1011, 'server restarting');
		expect(sut.state.error).toBe('server restarting');
	});

	it('retries when the WebSocket constructor itself throws', () => {
		let fail = true;
		class Throwing extends FakeWebSocket {
			constructor(url: string) {
				if (fail) throw new SyntaxError('bad url');
				super(url);
			}
		}
		const { sut } = socket({ WebSocketImpl: Throwing as unknown as typeof WebSocket });
		sut.connect();
		expect(sut.state).toMatchObject({ status: 'reconnecting', error: 'bad url' });
		fail = false;
		vi.advanceTimersByTime(100);
		expect(FakeWebSocket.instances).toHaveLength(1);
	});
});

describe('ComfySocket connect timeout', () => {
	it('abandons an attempt that never hears the server status and tries again', async () => {
		const { sut } = socket({ connectTimeoutMs: 500 });
		sut.connect();
		const first = FakeWebSocket.last;
		first.serverOpen();
		vi.advanceTimersByTime(499);
		expect(sut.state.status).toBe('connecting');
		vi.advanceTimersByTime(1);
		expect(sut.state).toMatchObject({ status: 'reconnecting', error: 'no answer within 500 ms' });
		expect(first.closedWith).toBeDefined();
		await vi.advanceTimersByTimeAsync(100);
		expect(FakeWebSocket.instances).toHaveLength(2);
	});

	it('leaves a live socket alone once the status arrived', () => {
		const { sut } = socket({ connectTimeoutMs: 500 });
		sut.connect();
		goLive(FakeWebSocket.last);
		vi.advanceTimersByTime(5000);
		expect(sut.state.status).toBe('live');
		expect(FakeWebSocket.instances).toHaveLength(1);
	});
});

describe('ComfySocket and the server registry of client ids', () => {
	it('opens a replacement only after the previous socket of the same client id has closed', async () => {
		const { sut } = socket();
		sut.connect();
		const old = FakeWebSocket.last;
		goLive(old);
		old.holdClose = true;
		sut.close();
		sut.connect();
		await vi.advanceTimersByTimeAsync(500);
		expect(FakeWebSocket.instances).toHaveLength(1);
		old.finishClose();
		await vi.advanceTimersByTimeAsync(0);
		expect(FakeWebSocket.instances).toHaveLength(2);
	});

	it('waits for the old socket even when a new ComfySocket instance takes over the client id', async () => {
		const first = socket();
		first.sut.connect();
		const old = FakeWebSocket.last;
		goLive(old);
		old.holdClose = true;
		first.sut.close();
		const second = socket();
		second.sut.connect();
		expect(FakeWebSocket.instances).toHaveLength(1);
		expect(second.sut.state.status).toBe('connecting');
		old.finishClose();
		await vi.advanceTimersByTimeAsync(0);
		expect(FakeWebSocket.instances).toHaveLength(2);
		second.sut.close();
	});

	it('gives up waiting after two seconds for a socket that never reports its close', async () => {
		const { sut } = socket({ clientId: 'dead-line' });
		sut.connect();
		FakeWebSocket.last.holdClose = true;
		sut.close();
		sut.connect();
		await vi.advanceTimersByTimeAsync(1999);
		expect(FakeWebSocket.instances).toHaveLength(1);
		await vi.advanceTimersByTimeAsync(1);
		expect(FakeWebSocket.instances).toHaveLength(2);
		sut.close();
	});

	it('does not open at all when closed again while waiting', async () => {
		const { sut } = socket({ clientId: 'changed-mind' });
		sut.connect();
		FakeWebSocket.last.holdClose = true;
		sut.close();
		sut.connect();
		sut.close();
		await vi.advanceTimersByTimeAsync(5000);
		expect(FakeWebSocket.instances).toHaveLength(1);
		expect(sut.state.status).toBe('idle');
	});
});

describe('ComfySocket close and keepalive', () => {
	it('closes with 1000, goes idle and neither reconnects nor emits late messages', () => {
		const { sut, events } = socket();
		sut.connect();
		const ws = FakeWebSocket.last;
		goLive(ws);
		sut.close();
		expect(ws.closedWith).toBe(1000);
		expect(sut.state.status).toBe('idle');
		const count = events.length;
		ws.serverSend(HANDSHAKE);
		ws.serverClose();
		vi.advanceTimersByTime(10_000);
		expect(events).toHaveLength(count);
		expect(FakeWebSocket.instances).toHaveLength(1);
	});

	it('cancels a pending reconnect when closed', () => {
		const { sut } = socket();
		sut.connect();
		FakeWebSocket.last.serverClose();
		sut.close();
		vi.advanceTimersByTime(10_000);
		expect(FakeWebSocket.instances).toHaveLength(1);
	});

	it('sends an ignored keepalive message after feature_flags at the keepalive interval', () => {
		const { sut } = socket({ keepaliveMs: 1000 });
		sut.connect();
		goLive(FakeWebSocket.last);
		vi.advanceTimersByTime(2500);
		const sent = FakeWebSocket.last.sent.map((s) => JSON.parse(s).type);
		expect(sent).toEqual(['feature_flags', 'keepalive', 'keepalive']);
	});

	it('treats a socket whose send buffer stops draining as dead and reconnects', async () => {
		const { sut } = socket({ keepaliveMs: 1000 });
		sut.connect();
		const ws = FakeWebSocket.last;
		goLive(ws);
		ws.bufferedAmount = 500;
		vi.advanceTimersByTime(1000);
		expect(sut.state.status).toBe('live');
		vi.advanceTimersByTime(1000);
		expect(sut.state).toMatchObject({ status: 'reconnecting', error: 'connection stalled' });
		expect(ws.closedWith).toBeDefined();
		await vi.advanceTimersByTimeAsync(100);
		expect(FakeWebSocket.instances).toHaveLength(2);
	});
});
