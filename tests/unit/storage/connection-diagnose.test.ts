// Diagnosis against real sockets in Node: a small HTTP + WebSocket server that answers like ComfyUI
// (with or without --enable-cors-header), a closed port, and a port that accepts but never answers.
// Node's fetch does not enforce CORS, so `browserFetch` applies the browser's rule on top of the real response.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import { createServer as createTcpServer, type Server as TcpServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { WebSocket as NodeWebSocket, WebSocketServer } from 'ws';
import { diagnose, formatReport, type ProbeEnv } from '$lib/connection/diagnose';

const PAGE = 'https://pocket.example';
const stats = {
	system: { comfyui_version: '0.3.64', os: 'posix' },
	devices: [{ name: 'cuda:0 NVIDIA GeForce RTX 4090 : cudaMallocAsync', type: 'cuda', index: 0, vram_total: 25757220864 }]
};

interface FakeComfy {
	server: Server;
	url: string;
}

async function startComfy(opts: { corsOrigin?: string; body?: unknown; status?: number; acceptSockets?: boolean }): Promise<FakeComfy> {
	const server = createServer((req, res) => {
		if (opts.corsOrigin) res.setHeader('Access-Control-Allow-Origin', opts.corsOrigin);
		if (req.url !== '/system_stats') {
			res.writeHead(404).end();
			return;
		}
		// ComfyUI's origin check without the CORS flag: an empty 403 for cross-site requests.
		if (!opts.corsOrigin) {
			res.writeHead(403).end();
			return;
		}
		res.writeHead(opts.status ?? 200, { 'Content-Type': 'application/json' }).end(JSON.stringify(opts.body ?? stats));
	});
	if (opts.acceptSockets !== false) {
		const wss = new WebSocketServer({ noServer: true });
		server.on('upgrade', (req, socket, head) => wss.handleUpgrade(req, socket, head, (ws) => ws.send('{"type":"status"}')));
	} else {
		server.on('upgrade', (_req, socket) => socket.end('HTTP/1.1 403 Forbidden\r\n\r\n'));
	}
	await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
	return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

const browserFetch: typeof fetch = async (input, init) => {
	const response = await fetch(input, init);
	if (init?.mode === 'no-cors') return new Response(null, { status: 200 });
	const allowed = response.headers.get('access-control-allow-origin');
	if (allowed !== PAGE && allowed !== '*') throw new TypeError('Failed to fetch');
	return response;
};

function env(overrides: Partial<ProbeEnv> = {}): ProbeEnv {
	return {
		browser: { chromium: 150, pageOrigin: PAGE, secureContext: true },
		fetch: browserFetch,
		WebSocketImpl: NodeWebSocket as unknown as typeof WebSocket,
		lnaPermission: async () => 'granted',
		timeoutMs: 1500,
		...overrides
	};
}

const servers: { close(): void }[] = [];
let silent: TcpServer;
let silentUrl: string;
const held: Socket[] = [];

beforeAll(async () => {
	silent = createTcpServer((socket) => held.push(socket));
	await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
	silentUrl = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
});

afterAll(() => {
	for (const s of servers) s.close();
	for (const socket of held) socket.destroy();
	silent.close();
});

async function comfy(opts: Parameters<typeof startComfy>[0]): Promise<string> {
	const c = await startComfy(opts);
	servers.push({ close: () => c.server.close() });
	return c.url;
}

describe('LAN connection diagnosis', () => {
	it('connects to a ComfyUI that allows this origin and reports its version and GPU', async () => {
		const url = await comfy({ corsOrigin: PAGE });
		const result = await diagnose(url, env());
		expect(result).toMatchObject({ kind: 'connected', ok: true, baseUrl: url });
		expect(result.server).toEqual({ version: '0.3.64', gpu: 'cuda:0 NVIDIA GeForce RTX 4090 : cudaMallocAsync', vramTotal: 25757220864 });
		expect(result.steps.map((s) => s.step)).toEqual(['mixed content', 'local network permission', 'cors probe', 'websocket probe']);
	});

	it('recognises the CORS refusal and gives the exact --enable-cors-header flag for this origin', async () => {
		const url = await comfy({});
		const result = await diagnose(url, env());
		expect(result.kind).toBe('cors');
		expect(result.fixes.map((f) => f.command)).toContain(`--enable-cors-header ${PAGE}`);
	});

	it('calls a port with nothing listening "refused", quickly', async () => {
		const probe = await comfy({ corsOrigin: PAGE });
		servers.pop()?.close();
		await new Promise((r) => setTimeout(r, 50));
		const started = Date.now();
		const result = await diagnose(probe, env());
		expect(result.kind).toBe('refused');
		expect(Date.now() - started).toBeLessThan(1500);
		expect(result.fixes[0].command).toMatch(/--listen 0\.0\.0\.0 --enable-cors-header https:\/\/pocket\.example/);
	});

	it('calls a server that never answers "unreachable" after the timeout', async () => {
		const result = await diagnose(silentUrl, env({ timeoutMs: 400 }));
		expect(result.kind).toBe('unreachable');
		expect(result.title).toBe('No answer from the server');
	});

	it('says the address is not ComfyUI when it answers with something else', async () => {
		const url = await comfy({ corsOrigin: PAGE, body: { hello: 'world' } });
		expect((await diagnose(url, env())).kind).toBe('not-comfyui');
		expect((await diagnose(`${url}/some/path`, env())).kind).toBe('not-comfyui');
	});

	it('reports a proxy error status as it is', async () => {
		const url = await comfy({ corsOrigin: PAGE, status: 401 });
		const result = await diagnose(url, env());
		expect(result).toMatchObject({ kind: 'http-error', title: 'The server answered HTTP 401' });
	});

	it('separates a working HTTP API from a refused WebSocket', async () => {
		const url = await comfy({ corsOrigin: PAGE, acceptSockets: false });
		const result = await diagnose(url, env());
		expect(result.kind).toBe('websocket');
		expect(result.server?.version).toBe('0.3.64');
	});

	it('stops before any request for mixed content in Safari and for a denied local network permission', async () => {
		let requests = 0;
		const counting: typeof fetch = async (i, init) => {
			requests++;
			return browserFetch(i, init);
		};
		const safari = await diagnose('http://192.168.1.5:8188', env({ fetch: counting, browser: { chromium: null, pageOrigin: PAGE, secureContext: true } }));
		expect(safari.kind).toBe('mixed-content');
		expect(safari.fixes.map((f) => f.command)).toContain('tailscale serve --bg 8188');
		const denied = await diagnose('http://192.168.1.5:8188', env({ fetch: counting, lnaPermission: async () => 'denied' }));
		expect(denied.kind).toBe('lna-denied');
		expect(requests).toBe(0);
	});

	it('rejects a malformed address without probing and writes a copyable report', async () => {
		const bad = await diagnose('http://a b', env());
		expect(bad.kind).toBe('invalid-url');
		const url = await comfy({ corsOrigin: PAGE });
		const ok = await diagnose(url, env());
		const report = formatReport(ok, env().browser, 'TestAgent/1');
		expect(report).toContain('result: connected');
		expect(report).toContain('server: ComfyUI 0.3.64');
		expect(report).toMatch(/- cors probe: HTTP 200 \(\d+ ms\)/);
	});

	it('declares the local address space only for an http LAN server called from an https page', async () => {
		const seen: string[] = [];
		const recording: typeof fetch = async (input, init) => {
			seen.push(`${String(input)} ${(init as { targetAddressSpace?: string } | undefined)?.targetAddressSpace ?? '-'}`);
			throw new TypeError('Failed to fetch');
		};
		await diagnose('http://192.168.1.5:8188', env({ fetch: recording }));
		await diagnose('http://127.0.0.1:8188', env({ fetch: recording }));
		await diagnose('http://192.168.1.5:8188', env({ fetch: recording, browser: { chromium: 150, pageOrigin: 'http://192.168.1.5:8787', secureContext: false } }));
		expect(seen.filter((s) => s.includes('/system_stats')).map((s) => s.split(' ')[1])).toEqual(['local', 'local', '-', '-', '-', '-']);
	});
});
