// Relay speed on loopback: the emulator as ComfyUI (this thread), the real Worker + Durable Object in workerd
// (Miniflare), and phones as `ws` clients in a worker thread. A frame is timed from the moment the emulator hands it
// to its socket (its `ws` send is wrapped) to the moment a client's message handler sees it.
//  1. relay-added latency: one run whose previews reach a direct client and, through the relay, a phone (submitted
//     without a client_id, so ComfyUI broadcasts the previews to both); per frame, phone time minus direct time.
//  2. fan-out: one run through the relay to 100 phone sockets on one object: latency, reordering, bytes out vs in.
//     Per frame, the first phone's delay (mostly the relay fanning out the text message ComfyUI sent just before the
//     preview) is told apart from the spread to the last phone (the runtime's cost per send, in send order), and the
//     phones' thread reports how late its own event loop ran: on a loaded machine that lateness, not the relay, is
//     often what sets the p99.
import { Worker } from 'node:worker_threads';
import WebSocket from 'ws';
import { startEmulator } from '../comfy-emulator/server';
import { pairDevice, startLocalRelay, type LocalRelay } from '../relay-worker';
import { descendantCpuMs } from './child-cpu';
import { frameKey, now, type LoopDelay, type PhoneReport, type PhonesRequest } from './relay-phones';

const FAN_OUT_PHONES = Number(process.env.BENCH_PHONES ?? 100);
/**
 * Each frame reaches every phone at nearly the same moment, so a p99 over few frames is little more than the single
 * worst frame (one stall of a shared machine); 200 frames make it a percentile again.
 */
const STEPS = 200;
/** The emulator's step time (its SlowNoiseImage ignores `delay_ms`, which is for a real ComfyUI). */
const STEP_MS = 25;

type Sent = { at: number; index: number; bytes: number };
const sent = new Map<string, Sent>();

function tapEmulatorSends(): () => void {
	const original = WebSocket.prototype.send;
	WebSocket.prototype.send = function (this: WebSocket, data: unknown, ...rest: unknown[]) {
		if (data instanceof Uint8Array) {
			const key = frameKey(data);
			if (!sent.has(key)) sent.set(key, { at: now(), index: sent.size, bytes: data.length });
		}
		return (original as (...args: unknown[]) => void).call(this, data, ...rest);
	} as typeof WebSocket.prototype.send;
	return () => {
		WebSocket.prototype.send = original;
	};
}

class PhonesThread {
	// Worker threads do not inherit tsx's loader: register it inside the thread, then load the TypeScript module.
	readonly #worker = new Worker(
		`import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(new URL('./relay-phones.ts', import.meta.url).href)}); })`,
		{ eval: true }
	);
	readonly #pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
	#next = 0;

	constructor() {
		this.#worker.on('message', (msg: { id: number; result?: unknown; error?: string }) => {
			const waiter = this.#pending.get(msg.id);
			this.#pending.delete(msg.id);
			if (msg.error !== undefined) waiter?.reject(new Error(msg.error));
			else waiter?.resolve(msg.result);
		});
	}

	ask<T>(req: PhonesRequest): Promise<T> {
		const id = this.#next++;
		return new Promise<T>((resolve, reject) => {
			this.#pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
			this.#worker.postMessage({ id, req });
		});
	}

	terminate(): Promise<number> {
		return this.#worker.terminate();
	}
}

function prompt(seed: number) {
	return {
		'1': { class_type: 'SlowNoiseImage', inputs: { steps: STEPS, seed, width: 64, height: 64, text: 'bench', delay_ms: STEP_MS, preview_format: 'PNG' } },
		'2': { class_type: 'PreviewImage', inputs: { images: ['1', 0] } }
	};
}

function percentile(values: number[], p: number): number {
	if (values.length === 0) return NaN;
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

const ms = (v: number) => `${v.toFixed(1)} ms`;

async function until(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!(await check())) {
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await new Promise((r) => setTimeout(r, 25));
	}
}

async function upstreamLive(relay: LocalRelay, token: string): Promise<boolean> {
	const res = await fetch(`${relay.url}/relay/info`, { headers: { Authorization: `Bearer ${token}` } });
	return ((await res.json()) as { upstream: { status: string } }).upstream.status === 'live';
}

async function relayAddedLatency(phones: PhonesThread, relay: LocalRelay, emulatorUrl: string, token: string): Promise<string> {
	await phones.ask({ cmd: 'open', relayUrl: relay.url, tokens: [token] });
	await phones.ask({ cmd: 'direct', url: emulatorUrl });
	await until(() => upstreamLive(relay, token), 10_000, 'the relay to reach the emulator');
	sent.clear();
	await fetch(`${emulatorUrl}/api/prompt`, { method: 'POST', body: JSON.stringify({ prompt: prompt(Date.now()) }) });
	let report: { phones: PhoneReport[]; direct: PhoneReport } = { phones: [], direct: { arrivals: [], textSeqs: [] } };
	await until(
		async () => {
			report = await phones.ask({ cmd: 'report' });
			return report.direct.arrivals.length >= STEPS && report.phones[0].arrivals.length >= STEPS;
		},
		30_000,
		`${STEPS} previews on both paths`
	);
	await phones.ask({ cmd: 'close' });
	const directAt = new Map(report.direct.arrivals.map((a) => [a.key, a.at]));
	const added = report.phones[0].arrivals.flatMap((a) => (directAt.has(a.key) ? [a.at - (directAt.get(a.key) ?? 0)] : []));
	const directLatency = report.direct.arrivals.map((a) => a.at - (sent.get(a.key)?.at ?? a.at));
	return `relay-added latency: p50 ${ms(percentile(added, 50))}, p99 ${ms(percentile(added, 99))} (direct p50 ${ms(percentile(directLatency, 50))}; ${added.length} frames; targets p50 <= 2 ms, p99 <= 10 ms)`;
}

async function fanOut(phones: PhonesThread, relay: LocalRelay, token: string): Promise<string[]> {
	// A device of its own per phone, as real phones are: the relay keeps only a few sockets per device.
	const tokens: string[] = [];
	for (let i = 0; i < FAN_OUT_PHONES; i++) tokens.push((await pairDevice(relay, `bench phone ${i}`)).token);
	await phones.ask({ cmd: 'open', relayUrl: relay.url, tokens });
	await until(() => upstreamLive(relay, token), 10_000, 'the relay to reach the emulator');
	sent.clear();
	const cpuBefore = descendantCpuMs('workerd');
	const promptId = `bench-fanout-${Date.now()}`;
	const res = await fetch(`${relay.url}/relay/api/api/prompt`, {
		method: 'POST',
		headers: { Authorization: `Bearer ${token}` },
		body: JSON.stringify({ prompt: prompt(Date.now() + 1), prompt_id: promptId })
	});
	if (!res.ok) throw new Error(`prompt through the relay: ${res.status} ${await res.text()}`);
	await until(async () => (await phones.ask<number>({ cmd: 'finished', promptId })) === FAN_OUT_PHONES, 60_000, 'every phone to see the result');
	const cpuAfter = descendantCpuMs('workerd');
	const { phones: reports, loopDelay } = await phones.ask<{ phones: PhoneReport[]; loopDelay: LoopDelay }>({ cmd: 'report' });
	await phones.ask({ cmd: 'close' });
	const bytesIn = [...sent.values()].reduce((n, s) => n + s.bytes, 0);
	const latencies: number[] = [];
	const perFrame = new Map<number, { first: number; last: number }>();
	let reordered = 0;
	let minShare = 1;
	let arrived = 0;
	let matched = 0;
	for (const report of reports) {
		let lastIndex = -1;
		let outOfOrder = report.textSeqs.some((seq, i) => i > 0 && seq <= report.textSeqs[i - 1]);
		for (const a of report.arrivals) {
			arrived++;
			const s = sent.get(a.key);
			if (!s) continue;
			matched++;
			const latency = a.at - s.at;
			latencies.push(latency);
			const frame = perFrame.get(s.index);
			if (frame) {
				frame.first = Math.min(frame.first, latency);
				frame.last = Math.max(frame.last, latency);
			} else perFrame.set(s.index, { first: latency, last: latency });
			if (s.index <= lastIndex) outOfOrder = true;
			lastIndex = s.index;
		}
		if (outOfOrder) reordered++;
		minShare = Math.min(minShare, report.arrivals.reduce((n, a) => n + a.bytes, 0) / bytesIn);
	}
	const frames = [...perFrame.values()];
	const cpuLine =
		cpuBefore === null || cpuAfter === null
			? []
			: [
					`fan-out relay CPU: ${ms((cpuAfter - cpuBefore) / sent.size)} of workerd per sampler step for ${FAN_OUT_PHONES} phones (its preview, the text messages around it, the phones' acks; ${sent.size} steps; far steadier than latency on a shared machine)`
				];
	return [
		`fan-out ${FAN_OUT_PHONES} phones: p50 ${ms(percentile(latencies, 50))}, p99 ${ms(percentile(latencies, 99))}, reordered ${reordered} (targets p99 <= 20 ms, reordered 0)`,
		`fan-out per frame: first phone p50 ${ms(percentile(frames.map((f) => f.first), 50))}, spread to the last phone p50 ${ms(percentile(frames.map((f) => f.last - f.first), 50))}; slowest frame reached its first phone after ${ms(Math.max(...frames.map((f) => f.first)))} (a stall before any phone is the machine, not the fan-out order; ${frames.length} frames); the phones' own thread ran up to ${ms(loopDelay.maxMs)} late (p99 ${ms(loopDelay.p99Ms)})`,
		...cpuLine,
		`fan-out bytes: ${matched}/${arrived} frames phones received match a frame ComfyUI sent (length and tail bytes); bytes out per phone / bytes in: min ${(minShare * 100).toFixed(1)}% of ${bytesIn} (the rest: previews skipped for phones that fell behind)`
	];
}

export async function run(): Promise<string[]> {
	const untap = tapEmulatorSends();
	const emulator = await startEmulator({ port: 0, stepMs: STEP_MS });
	const relay = await startLocalRelay({ comfyUrl: emulator.url });
	const phones = new PhonesThread();
	try {
		const { token } = await pairDevice(relay);
		return [await relayAddedLatency(phones, relay, emulator.url, token), ...(await fanOut(phones, relay, token))];
	} finally {
		untap();
		await phones.terminate();
		await relay.dispose();
		await emulator.close();
	}
}
