// Phone clients for the relay benchmark, run in a worker thread so their message handling does not share an event
// loop with the emulator whose send times they are compared with. Times are absolute (timeOrigin + now) so they
// compare across threads.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parentPort } from 'node:worker_threads';
import WebSocket from 'ws';
import { AckBatcher } from '../../src/lib/relay/protocol';

export interface Arrival {
	key: string;
	at: number;
	bytes: number;
}

export interface PhoneReport {
	arrivals: Arrival[];
	textSeqs: number[];
}

/** How late this thread's event loop ran while phones were open: every time stamp taken here is at least that late. */
export interface LoopDelay {
	p99Ms: number;
	maxMs: number;
}

export type PhonesRequest =
	/** One phone per token: the relay keeps only a few sockets per device (MAX_SOCKETS_PER_DEVICE). */
	| { cmd: 'open'; relayUrl: string; tokens: string[] }
	| { cmd: 'direct'; url: string }
	| { cmd: 'finished'; promptId: string }
	| { cmd: 'report' }
	| { cmd: 'close' };

const origin = performance.timeOrigin;
export const now = () => origin + performance.now();

/** How many trailing bytes identify a frame: for a PNG they hold the image data's CRC. */
const KEY_TAIL = 64;

/**
 * Identifies a preview frame cheaply: its length and its last 64 bytes. Hashing whole frames for 100 phones would
 * make the measuring thread the bottleneck it is meant to measure.
 */
export const frameKey = (data: Uint8Array) => tailKey(data.length, data.subarray(Math.max(0, data.length - KEY_TAIL)));

function tailKey(length: number, tail: Uint8Array): string {
	return `${length}:${Buffer.from(tail.buffer, tail.byteOffset, tail.byteLength).toString('hex')}`;
}

/** A preview as it arrived; its key is only built when the report is asked for, off the timed path. */
interface RawArrival {
	at: number;
	length: number;
	tail: Buffer;
}

const SUCCESS = '"execution_success"';
const SEQ = /^\{"t":"(?:comfy|upstream)","seq":(\d+)/;
/** Long enough for the envelope head that carries the seq. */
const HEAD_BYTES = 48;

/**
 * One phone socket. The message handler does as little as it can before the next socket's message is handled: all
 * phones share this thread, so every microsecond spent here delays the time stamps of the phones after it.
 */
class Phone {
	readonly #arrivals: RawArrival[] = [];
	readonly #textSeqs: number[] = [];
	readonly #succeeded = new Set<string>();

	constructor(readonly ws: WebSocket, relay: boolean) {
		const acks = relay ? new AckBatcher((text) => ws.readyState === WebSocket.OPEN && ws.send(text)) : null;
		ws.on('message', (data: Buffer, isBinary: boolean) => {
			const at = now();
			if (isBinary) {
				// A copy: the message may be a view into the socket's read buffer, which must not be kept alive.
				this.#arrivals.push({ at, length: data.length, tail: Buffer.from(data.subarray(Math.max(0, data.length - KEY_TAIL))) });
				acks?.received(this.#arrivals.length);
				return;
			}
			if (data.includes(SUCCESS)) {
				const promptId = /"prompt_id":\s*"([^"]+)"/.exec(data.toString());
				if (promptId) this.#succeeded.add(promptId[1]);
			}
			const seq = SEQ.exec(data.toString('latin1', 0, HEAD_BYTES));
			if (seq) this.#textSeqs.push(Number(seq[1]));
		});
	}

	finished(promptId: string): boolean {
		return this.#succeeded.has(promptId);
	}

	report(): PhoneReport {
		return {
			arrivals: this.#arrivals.map((a) => ({ key: tailKey(a.length, a.tail), at: a.at, bytes: a.length })),
			textSeqs: [...this.#textSeqs]
		};
	}
}

async function opened(ws: WebSocket): Promise<void> {
	await new Promise<void>((resolve, reject) => {
		ws.once('open', () => resolve());
		ws.once('error', reject);
	});
}

const loopDelay = monitorEventLoopDelay({ resolution: 5 });
let phones: Phone[] = [];
let direct: Phone | null = null;

async function handle(req: PhonesRequest): Promise<unknown> {
	switch (req.cmd) {
		case 'open':
			loopDelay.reset();
			loopDelay.enable();
			for (const token of req.tokens) {
				const res = await fetch(`${req.relayUrl}/relay/ticket`, { method: 'POST', headers: { Authorization: `Bearer ${token}` } });
				const { ticket } = (await res.json()) as { ticket: string };
				// Miniflare's entry layer accepts permessage-deflate whenever a client offers it, and deflating
				// incompressible JPEG/PNG frames once per phone would dominate what is measured here.
				const ws = new WebSocket(`${req.relayUrl.replace(/^http/, 'ws')}/relay/ws?ticket=${ticket}`, { perMessageDeflate: false });
				phones.push(new Phone(ws, true));
				await opened(ws);
			}
			return phones.length;
		case 'direct': {
			const ws = new WebSocket(`${req.url.replace(/^http/, 'ws')}/ws?clientId=bench-direct`, { perMessageDeflate: false });
			direct = new Phone(ws, false);
			await opened(ws);
			return true;
		}
		case 'finished':
			return phones.filter((p) => p.finished(req.promptId)).length;
		case 'report':
			return {
				phones: phones.map((p) => p.report()),
				direct: direct?.report() ?? null,
				loopDelay: { p99Ms: loopDelay.percentile(99) / 1e6, maxMs: loopDelay.max / 1e6 } satisfies LoopDelay
			};
		case 'close':
			loopDelay.disable();
			for (const p of [...phones, ...(direct ? [direct] : [])]) p.ws.terminate();
			phones = [];
			direct = null;
			return true;
	}
}

parentPort?.on('message', (msg: { id: number; req: PhonesRequest }) => {
	handle(msg.req).then(
		(result) => parentPort?.postMessage({ id: msg.id, result }),
		(error: unknown) => parentPort?.postMessage({ id: msg.id, error: error instanceof Error ? error.message : String(error) })
	);
});
