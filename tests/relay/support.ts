// Helpers for the relay's workerd tests: the owner's admin calls, pairing a phone, and a phone socket that
// records every frame it receives (text envelopes parsed, binary previews kept as bytes).
import { SELF } from 'cloudflare:test';
import type { PairResponse, ServerEnvelope } from '../../src/lib/relay/protocol';

export const ORIGIN = 'https://relay.test';
export const ADMIN_SECRET = 'test-admin-secret';

let addressCounter = 0;
/** Each test uses its own client address so the failed-attempt limiter of one test does not bleed into another. */
export function freshAddress(): string {
	addressCounter++;
	return `198.51.100.${addressCounter % 250}`;
}

export function call(path: string, init: RequestInit & { address?: string; bearer?: string } = {}): Promise<Response> {
	const headers = new Headers(init.headers);
	headers.set('CF-Connecting-IP', init.address ?? '203.0.113.1');
	if (init.bearer) headers.set('Authorization', `Bearer ${init.bearer}`);
	return SELF.fetch(`${ORIGIN}${path}`, { ...init, headers });
}

export async function createCode(): Promise<string> {
	const res = await call('/relay/admin/codes', { method: 'POST', bearer: ADMIN_SECRET });
	if (res.status !== 200) throw new Error(`admin code: ${res.status}`);
	return ((await res.json()) as { code: string }).code;
}

export async function pairPhone(name = 'test phone'): Promise<PairResponse> {
	const code = await createCode();
	const res = await call('/relay/pair', { method: 'POST', body: JSON.stringify({ code, name }) });
	if (res.status !== 200) throw new Error(`pair: ${res.status}`);
	return (await res.json()) as PairResponse;
}

export type Frame = { kind: 'text'; envelope: ServerEnvelope } | { kind: 'binary'; bytes: Uint8Array };

export class TestPhone {
	readonly frames: Frame[] = [];
	closed: { code: number; reason: string } | null = null;
	#waiters: (() => void)[] = [];

	constructor(readonly socket: WebSocket, readonly ackPreviews: boolean) {
		socket.addEventListener('message', (event) => {
			if (typeof event.data === 'string') {
				this.frames.push({ kind: 'text', envelope: JSON.parse(event.data) as ServerEnvelope });
			} else {
				this.frames.push({ kind: 'binary', bytes: new Uint8Array(event.data as ArrayBuffer) });
				if (this.ackPreviews && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify({ t: 'ack', seq: this.lastSeq, n: 1 }));
			}
			this.#wake();
		});
		socket.addEventListener('close', (event) => {
			this.closed = { code: event.code, reason: event.reason };
			this.#wake();
		});
	}

	get texts(): ServerEnvelope[] {
		return this.frames.flatMap((f) => (f.kind === 'text' ? [f.envelope] : []));
	}

	/** ComfyUI message types, in the order received. */
	get comfyTypes(): string[] {
		return this.texts.flatMap((e) => (e.t === 'comfy' ? [(e.m as { type: string }).type] : []));
	}

	get lastSeq(): number {
		let seq = 0;
		for (const f of this.frames) seq = f.kind === 'text' ? f.envelope.seq : seq + 1;
		return seq;
	}

	async waitFor(predicate: (phone: TestPhone) => boolean, timeoutMs = 15_000): Promise<void> {
		const deadline = Date.now() + timeoutMs;
		while (!predicate(this)) {
			if (Date.now() > deadline) throw new Error(`phone timed out; got ${JSON.stringify(this.comfyTypes)}`);
			await new Promise<void>((resolve) => {
				this.#waiters.push(resolve);
				setTimeout(resolve, 100);
			});
		}
	}

	close(): void {
		this.socket.close(1000, 'test done');
	}

	#wake(): void {
		const waiters = this.#waiters;
		this.#waiters = [];
		for (const w of waiters) w();
	}
}

/** `prefix` is a rig's (`/relay/rig/attic`); the default rig's is `/relay`. */
export async function ticketFor(token: string, prefix = '/relay'): Promise<string> {
	const res = await call(`${prefix}/ticket`, { method: 'POST', bearer: token });
	if (res.status !== 200) throw new Error(`ticket: ${res.status}`);
	return ((await res.json()) as { ticket: string }).ticket;
}

export async function openPhone(token: string, opts: { since?: number; epoch?: string; ackPreviews?: boolean; prefix?: string } = {}): Promise<TestPhone> {
	const prefix = opts.prefix ?? '/relay';
	const ticket = await ticketFor(token, prefix);
	const query = new URLSearchParams({ ticket });
	if (opts.since !== undefined) query.set('since', String(opts.since));
	if (opts.epoch !== undefined) query.set('epoch', opts.epoch);
	const res = await call(`${prefix}/ws?${query}`, { headers: { Upgrade: 'websocket' } });
	if (!res.webSocket) throw new Error(`phone socket: ${res.status}`);
	res.webSocket.binaryType = 'arraybuffer';
	res.webSocket.accept();
	return new TestPhone(res.webSocket, opts.ackPreviews ?? true);
}
