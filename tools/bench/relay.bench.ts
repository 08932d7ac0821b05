// Relay speed on loopback: the emulator as ComfyUI, the real Worker + Durable Object in workerd, phones as `ws`
// clients in this process. Frames are timed from the moment the emulator hands them to its socket (its `ws` send is
// wrapped) to the moment a client's message handler sees them.
//  1. relay-added latency: one run whose previews reach a direct client and, through the relay, a phone; per frame
//     the relay-added time is phone arrival minus direct arrival.
//  2. fan-out: one run, 100 phone sockets on one object: latency per frame per phone, reordering, bytes out vs in.
import { createHash } from 'node:crypto';
import WebSocket from 'ws';
import { startEmulator } from '../comfy-emulator/server';
import { pairDevice, startLocalRelay, type LocalRelay } from '../relay-worker';
import { AckBatcher } from '../../src/lib/relay/protocol';

const FAN_OUT_PHONES = Number(process.env.BENCH_PHONES ?? 100);
const STEPS = 60;
const STEP_DELAY_MS = 25;

type Sent = { at: number; index: number; bytes: number };
const sent = new Map<string, Sent>();

const keyOf = (data: Uint8Array) => createHash('sha1').update(data).digest('hex');

function tapEmulatorSends(): () => void {
	const original = WebSocket.prototype.send;
	WebSocket.prototype.send = function (this: WebSocket, data: unknown, ...rest: unknown[]) {
		if (data instanceof Uint8Array) {
			const key = keyOf(data);
			if (!sent.has(key)) sent.set(key, { at: performance.now(), index: sent.size, bytes: data.length });
		}
		return (original as (...args: unknown[]) => void).call(this, data, ...rest);
	} as typeof WebSocket.prototype.send;
	return () => {
		WebSocket.prototype.send = original;
	};
}

interface Arrival {
	key: string;
	at: number;
	bytes: number;
}

class BenchPhone {
	readonly arrivals: Arrival[] = [];
	readonly textSeqs: number[] = [];
	readonly texts: string[] = [];
	readonly #acks: AckBatcher;
	constructor(readonly ws: WebSocket) {
		this.#acks = new AckBatcher((text) => ws.readyState === WebSocket.OPEN && ws.send(text));
		ws.on('message', (data: Buffer, isBinary: boolean) => {
			const at = performance.now();
			if (isBinary) {
				const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
				this.arrivals.push({ key: keyOf(bytes), at, bytes: bytes.length });
				this.#acks.received(this.arrivals.length);
			} else {
				const text = data.toString();
				this.texts.push(text);
				const seq = /"seq":(\d+)/.exec(text);
				if (seq && !text.startsWith('{"t":"hello"')) this.textSeqs.push(Number(seq[1]));
			}
		});
	}
}

async function openPhone(relay: LocalRelay, token: string): Promise<BenchPhone> {
	const ticketRes = await fetch(`${relay.url}/relay/ticket`, { method: 'POST', headers: { Authorization: `Bearer ${token}` } });
	const { ticket } = (await ticketRes.json()) as { ticket: string };
	const ws = new WebSocket(`${relay.url.replace(/^http/, 'ws')}/relay/ws?ticket=${ticket}`);
	const phone = new BenchPhone(ws);
	await new Promise<void>((resolve, reject) => {
		ws.once('open', () => resolve());
		ws.once('error', reject);
	});
	return phone;
}

function prompt(seed: number) {
	return {
		'1': { class_type: 'SlowNoiseImage', inputs: { steps: STEPS, seed, width: 64, height: 64, text: 'bench', delay_ms: STEP_DELAY_MS, preview_format: 'PNG' } },
		'2': { class_type: 'PreviewImage', inputs: { images: ['1', 0] } }
	};
}

function percentile(values: number[], p: number): number {
	if (values.length === 0) return NaN;
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

const ms = (v: number) => `${v.toFixed(1)} ms`;

async function until(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!check()) {
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await new Promise((r) => setTimeout(r, 20));
	}
}

const finishedText = (phone: BenchPhone, promptId: string) => phone.texts.some((t) => t.includes('"execution_success"') && t.includes(promptId));

async function waitUpstreamLive(relay: LocalRelay, token: string): Promise<void> {
	await until(() => true, 0, '');
	const deadline = Date.now() + 10_000;
	while (Date.now() < deadline) {
		const info = (await (await fetch(`${relay.url}/relay/info`, { headers: { Authorization: `Bearer ${token}` } })).json()) as { upstream: { status: string } };
		if (info.upstream.status === 'live') return;
		await new Promise((r) => setTimeout(r, 50));
	}
	throw new Error('the relay did not reach the emulator');
}

/** One run submitted without a client_id: ComfyUI then broadcasts its previews to every socket, direct and relay alike. */
async function relayAddedLatency(relay: LocalRelay, emulatorUrl: string, token: string): Promise<string> {
	const phone = await openPhone(relay, token);
	await waitUpstreamLive(relay, token);
	const direct = new BenchPhone(new WebSocket(`${emulatorUrl.replace(/^http/, 'ws')}/ws?clientId=bench-direct`));
	await new Promise((resolve) => direct.ws.once('open', resolve));
	sent.clear();
	const res = await fetch(`${emulatorUrl}/api/prompt`, { method: 'POST', body: JSON.stringify({ prompt: prompt(Date.now()) }) });
	const { prompt_id } = (await res.json()) as { prompt_id: string };
	await until(() => direct.arrivals.length >= STEPS && phone.arrivals.length >= STEPS, 30_000, `${STEPS} previews (${prompt_id})`);
	const directAt = new Map(direct.arrivals.map((a) => [a.key, a.at]));
	const added = phone.arrivals.flatMap((a) => (directAt.has(a.key) ? [a.at - (directAt.get(a.key) ?? 0)] : []));
	const directLatency = direct.arrivals.map((a) => a.at - (sent.get(a.key)?.at ?? a.at));
	phone.ws.close();
	direct.ws.close();
	return `relay-added latency: p50 ${ms(percentile(added, 50))}, p99 ${ms(percentile(added, 99))} (direct p50 ${ms(percentile(directLatency, 50))}; ${added.length} frames, target p50 <= 2 ms, p99 <= 10 ms)`;
}

async function fanOut(relay: LocalRelay, token: string): Promise<string[]> {
	const phones: BenchPhone[] = [];
	for (let i = 0; i < FAN_OUT_PHONES; i++) phones.push(await openPhone(relay, token));
	await waitUpstreamLive(relay, token);
	sent.clear();
	const promptId = `bench-fanout-${Date.now()}`;
	const res = await fetch(`${relay.url}/relay/api/api/prompt`, {
		method: 'POST',
		headers: { Authorization: `Bearer ${token}` },
		body: JSON.stringify({ prompt: prompt(Date.now() + 1), prompt_id: promptId })
	});
	if (!res.ok) throw new Error(`prompt through the relay: ${res.status} ${await res.text()}`);
	await until(() => phones.every((p) => finishedText(p, promptId)), 60_000, 'every phone to see the result');
	const bytesIn = [...sent.values()].reduce((n, s) => n + s.bytes, 0);
	const latencies: number[] = [];
	let reordered = 0;
	let minShare = 1;
	for (const phone of phones) {
		let lastIndex = -1;
		let outOfOrder = false;
		for (const a of phone.arrivals) {
			const s = sent.get(a.key);
			if (!s) continue;
			latencies.push(a.at - s.at);
			if (s.index <= lastIndex) outOfOrder = true;
			lastIndex = s.index;
		}
		if (phone.textSeqs.some((seq, i) => i > 0 && seq <= phone.textSeqs[i - 1])) outOfOrder = true;
		if (outOfOrder) reordered++;
		minShare = Math.min(minShare, phone.arrivals.reduce((n, a) => n + a.bytes, 0) / bytesIn);
		phone.ws.close();
	}
	return [
		`fan-out ${FAN_OUT_PHONES} phones: p50 ${ms(percentile(latencies, 50))}, p99 ${ms(percentile(latencies, 99))}, reordered ${reordered} (target p99 <= 20 ms, reordered 0)`,
		`fan-out bytes out per phone / bytes in: min ${(minShare * 100).toFixed(1)}% of ${bytesIn} preview bytes (100% = nothing dropped)`
	];
}

export async function run(): Promise<string[]> {
	const untap = tapEmulatorSends();
	const emulator = await startEmulator({ port: 0 });
	const relay = await startLocalRelay({ comfyUrl: emulator.url });
	try {
		const { token } = await pairDevice(relay);
		return [await relayAddedLatency(relay, emulator.url, token), ...(await fanOut(relay, token))];
	} finally {
		untap();
		await relay.dispose();
		await emulator.close();
	}
}
