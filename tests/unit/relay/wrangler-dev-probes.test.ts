// The black-box probes of issue 14, kept as tests: the relay as `npm start` runs it (wrangler dev's own proxy and
// workerd, with tools/front-door.mjs in front), the emulator as ComfyUI, everything on loopback. Bounded: a few
// hundred requests and 8 phones × 4 prompts, well under a minute on the shared machine.
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unstable_startWorker } from 'wrangler';
import WebSocket from 'ws';
import { startEmulator, type Emulator } from '../../../tools/comfy-emulator/server';
import { startFrontDoor } from '../../../tools/front-door.mjs';

const ADMIN_SECRET = 'wrangler-dev-probe-admin-secret';
let emulator: Emulator;
let worker: Awaited<ReturnType<typeof unstable_startWorker>>;
let door: Awaited<ReturnType<typeof startFrontDoor>>;
/** wrangler dev itself (trusts any CF-Connecting-IP a client sends, as miniflare does), and the door in front. */
let direct: string;
let front: string;

beforeAll(async () => {
	process.env.WRANGLER_SEND_METRICS = 'false';
	emulator = await startEmulator({ port: 0, stepMs: 15 });
	worker = await unstable_startWorker({
		config: 'durable-objects/relay.wrangler.toml',
		bindings: { COMFY_URL: { type: 'plain_text', value: emulator.url }, ADMIN_SECRET: { type: 'plain_text', value: ADMIN_SECRET } },
		dev: { server: { hostname: '127.0.0.1', port: 0 }, inspector: false, watch: false, persist: false, logLevel: 'none' }
	});
	const url = await worker.url;
	direct = url.origin;
	door = await startFrontDoor({ host: '127.0.0.1', port: 0, target: { host: '127.0.0.1', port: Number(url.port) } });
	front = `http://127.0.0.1:${door.port}`;
}, 90_000);

afterAll(async () => {
	await door?.close();
	await worker?.dispose();
	await emulator?.close();
});

let addressCounter = 0;
/** A forged client address, honoured only by wrangler dev without the door (the tests that use it say why). */
const address = () => `198.18.${(++addressCounter >> 8) & 255}.${addressCounter & 255}`;

async function send(base: string, path: string, init: RequestInit & { ip?: string; bearer?: string } = {}): Promise<number> {
	const headers = new Headers(init.headers);
	if (init.ip) headers.set('CF-Connecting-IP', init.ip);
	if (init.bearer) headers.set('Authorization', `Bearer ${init.bearer}`);
	// A request that hangs fails the test here rather than at the test's timeout.
	const res = await fetch(`${base}${path}`, { ...init, headers, signal: AbortSignal.timeout(10_000) });
	await res.arrayBuffer();
	return res.status;
}

async function pairingCode(): Promise<string> {
	const res = await fetch(`${direct}/relay/admin/codes`, { method: 'POST', headers: { Authorization: `Bearer ${ADMIN_SECRET}`, 'CF-Connecting-IP': '10.99.0.1' } });
	return ((await res.json()) as { code: string }).code;
}

async function pair(name: string): Promise<string> {
	const res = await fetch(`${direct}/relay/pair`, { method: 'POST', body: JSON.stringify({ code: await pairingCode(), name }), headers: { 'CF-Connecting-IP': address() } });
	return ((await res.json()) as { token: string }).token;
}

function tally(statuses: number[]): Record<number, number> {
	const counts: Record<number, number> = {};
	for (const s of statuses) counts[s] = (counts[s] ?? 0) + 1;
	return counts;
}

/** A POST through the front door from a chosen loopback source address (127.0.0.0/8 is all loopback on Linux). */
function postFrom(localAddress: string, path: string, body: string, headers: Record<string, string> = {}): Promise<number> {
	return new Promise((resolve, reject) => {
		const req = http.request(`${front}${path}`, { method: 'POST', localAddress, headers: { 'Content-Type': 'application/json', ...headers } }, (res) => {
			res.resume();
			res.on('end', () => resolve(res.statusCode ?? 0));
		});
		req.on('error', reject);
		req.end(body);
	});
}

describe('the relay under wrangler dev, as npm start runs it', () => {
	it('evaluates exactly ten of 100 concurrent wrong pairing codes from one address (finding 1)', async () => {
		const ip = address();
		const statuses = await Promise.all(Array.from({ length: 100 }, () => send(direct, '/relay/pair', { method: 'POST', body: '{"code":"wrong-guess"}', ip })));
		expect(tally(statuses)).toEqual({ 401: 10, 429: 90 });
	});

	it('counts guesses by the connection’s address behind the front door, whatever CF-Connecting-IP says (finding 2)', async () => {
		const statuses: number[] = [];
		for (let i = 0; i < 30; i++) statuses.push(await postFrom('127.0.0.2', '/relay/pair', '{"code":"guess"}', { 'CF-Connecting-IP': `192.0.2.${i}` }));
		expect(tally(statuses)).toEqual({ 401: 10, 429: 20 });
		// Another client (another source address, no header at all) has its own count: one bad client locks out no one else.
		expect(await postFrom('127.0.0.3', '/relay/pair', '{"code":"guess"}')).toBe(401);
		const code = await pairingCode();
		expect(await postFrom('127.0.0.4', '/relay/pair', JSON.stringify({ code }))).toBe(200);
	});

	it('shows why the door is needed: wrangler dev alone honours any CF-Connecting-IP a client sends', async () => {
		// miniflare fills the header from the connection only when it is missing; this is what `HOST=0.0.0.0 npm start`
		// exposed to the LAN before the door (30 forged values: 30 evaluated guesses, no lockout).
		const statuses: number[] = [];
		for (let i = 0; i < 30; i++) statuses.push(await send(direct, '/relay/pair', { method: 'POST', body: '{"code":"guess"}', ip: `192.0.2.${100 + i}` }));
		expect(tally(statuses)).toEqual({ 401: 30 });
	});

	it('leaves nothing behind after refused requests with a body: the next request is never a 503 (finding 4)', async () => {
		const seen: number[] = [];
		for (let round = 0; round < 40; round++) {
			seen.push(await send(direct, '/relay/push/subscription', { method: 'PUT', body: 'x'.repeat(40), ip: address() }));
			seen.push(await send(direct, '/relay/admin/devices', { bearer: ADMIN_SECRET, ip: '10.99.0.1' }));
			seen.push(await send(direct, '/relay/pair', { method: 'POST', body: 'y'.repeat(5000), ip: address() }));
			seen.push(await send(direct, '/relay/admin/devices', { bearer: ADMIN_SECRET, ip: '10.99.0.1' }));
		}
		expect(tally(seen)).toEqual({ 200: 80, 401: 80 });
	}, 60_000);

	it('keeps a valid pairing code through 13 refused attempts and says 429 while locked out (finding 5)', async () => {
		for (let round = 0; round < 3; round++) {
			const code = await pairingCode();
			const ip = address();
			const refused = ['{"code":"wrong-1"}', '{"code":7}', '{"code":null}', '[]', 'nope', JSON.stringify({ code, pad: 'x'.repeat(5000) }), '{"code":"wrong-2"}'];
			const statuses: number[] = [];
			for (let i = 0; i < 13; i++) statuses.push(await send(direct, '/relay/pair', { method: 'POST', body: refused[i % refused.length], ip }));
			expect(statuses).toEqual([...Array<number>(10).fill(401), 429, 429, 429]);
			expect(await send(direct, '/relay/pair', { method: 'POST', body: JSON.stringify({ code }), ip })).toBe(429);
			expect(await send(direct, '/relay/pair', { method: 'POST', body: JSON.stringify({ code }), ip: address() })).toBe(200);
		}
	}, 60_000);

	it('gives every phone every event after its hello: 8 phones × 4 prompts through the front door (finding 6)', async () => {
		const tokens: string[] = [];
		for (let i = 0; i < 8; i++) tokens.push(await pair(`probe phone ${i}`));
		const phones = await Promise.all(tokens.map((token) => openPhone(token)));
		const promptIds: string[] = [];
		for (let p = 0; p < 4; p++) {
			const promptId = `probe-${Date.now()}-${p}`;
			promptIds.push(promptId);
			const prompt = {
				'1': { class_type: 'SlowNoiseImage', inputs: { steps: 3, seed: Date.now() % 1e9 + p, width: 64, height: 64, text: 'probe', delay_ms: 15, preview_format: 'JPEG' } },
				'2': { class_type: 'SaveImage', inputs: { images: ['1', 0], filename_prefix: 'probe' } }
			};
			expect(await send(front, '/relay/api/api/prompt', { method: 'POST', bearer: tokens[p % tokens.length], body: JSON.stringify({ prompt, prompt_id: promptId }) })).toBe(200);
		}
		const ended = (phone: ProbePhone) => promptIds.every((id) => phone.texts.some((e) => e.t === 'comfy' && e.type === 'execution_success' && e.promptId === id));
		const deadline = Date.now() + 30_000;
		while (!phones.every(ended) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
		for (const phone of phones) phone.ws.close();
		expect(phones.map(ended)).toEqual(phones.map(() => true));
		// Every envelope any phone got after a phone's hello, that phone got too, once and in order; what came before
		// its hello is in its snapshot (phones greeted at different points differ in count only by that).
		const all = new Map<number, string>();
		for (const phone of phones) for (const e of phone.texts) if (e.t !== 'hello') all.set(e.seq, e.t);
		for (const phone of phones) {
			const helloSeq = phone.texts[0].seq;
			const seqs = phone.texts.slice(1).map((e) => e.seq);
			expect(phone.texts[0].t).toBe('hello');
			expect(seqs).toEqual([...all.keys()].filter((s) => s > helloSeq).sort((a, b) => a - b));
		}
	}, 60_000);
});

interface ProbeEnvelope {
	t: string;
	seq: number;
	type?: string;
	promptId?: string;
}
interface ProbePhone {
	ws: WebSocket;
	texts: ProbeEnvelope[];
}

async function openPhone(token: string): Promise<ProbePhone> {
	const res = await fetch(`${front}/relay/ticket`, { method: 'POST', headers: { Authorization: `Bearer ${token}` } });
	const { ticket } = (await res.json()) as { ticket: string };
	const ws = new WebSocket(`${front.replace(/^http/, 'ws')}/relay/ws?ticket=${ticket}`, { perMessageDeflate: false });
	const phone: ProbePhone = { ws, texts: [] };
	ws.on('message', (data, isBinary) => {
		if (isBinary) return void ws.send(JSON.stringify({ t: 'ack', seq: 0, n: 1 }));
		const e = JSON.parse(String(data)) as { t: string; seq: number; m?: { type?: string; data?: { prompt_id?: string } } };
		phone.texts.push({ t: e.t, seq: e.seq, type: e.m?.type, promptId: e.m?.data?.prompt_id });
	});
	await new Promise<void>((resolve, reject) => {
		ws.once('open', () => resolve());
		ws.once('error', reject);
	});
	return phone;
}
