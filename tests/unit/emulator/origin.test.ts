// The two cross-origin modes (lan-notes.md §5): the origin guard of a server started without
// --enable-cors-header (captured in origin_mismatch_403), and the CORS headers with it.
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startEmulator, type Emulator } from '../../../tools/comfy-emulator/server';
import { httpCapture } from './support/captures';

let guarded: Emulator;
let open: Emulator;

beforeAll(async () => {
	guarded = await startEmulator({ stepMs: 5 });
	open = await startEmulator({ stepMs: 5, cors: 'https://pocket.example' });
});

afterAll(async () => {
	await guarded.close();
	await open.close();
});

function call(emulator: Emulator, method: string, path: string, headers: Record<string, string>): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
	return new Promise((resolve, reject) => {
		const req = request({ host: '127.0.0.1', port: emulator.port, method, path, headers }, (res) => {
			let body = '';
			res.on('data', (c) => (body += c));
			res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
		});
		req.on('error', reject);
		req.end();
	});
}

describe('origin guard (no CORS flag)', () => {
	const capture = httpCapture('origin_mismatch_403') as unknown as {
		exchanges: { request: { method: string; path: string; headers: Record<string, string> }; response: { status: number } }[];
	};

	it('answers the captured exchanges with the captured statuses (loopback Host, foreign Origin → empty 403)', async () => {
		for (const { request: req, response } of capture.exchanges) {
			const host = req.headers.Host.replace(':8188', `:${guarded.port}`);
			const origin = req.headers.Origin.replace(':8188', `:${guarded.port}`);
			const got = await call(guarded, req.method, req.path, { Host: host, Origin: origin });
			expect(got.status, `${req.method} ${req.path} from ${origin}`).toBe(response.status);
			if (response.status === 403) expect(got.body).toBe('');
		}
	});

	it('does not check a non-loopback Host, refuses Sec-Fetch-Site: cross-site, and sends no CORS headers', async () => {
		expect((await call(guarded, 'GET', '/system_stats', { Host: '192.168.1.20:8188', Origin: 'http://phone.local' })).status).toBe(200);
		expect((await call(guarded, 'GET', '/system_stats', { 'Sec-Fetch-Site': 'cross-site' })).status).toBe(403);
		expect((await call(guarded, 'GET', '/system_stats', {})).headers['access-control-allow-origin']).toBeUndefined();
	});

	it('refuses the WebSocket upgrade from a foreign origin too', async () => {
		const ws = new WebSocket(`ws://127.0.0.1:${guarded.port}/ws`, { headers: { Origin: 'http://localhost:5173' } });
		const status = await new Promise<number>((resolve) => ws.on('unexpected-response', (_, res) => resolve(res.statusCode ?? 0)));
		expect(status).toBe(403);
	});
});

describe('with cors set (like --enable-cors-header ORIGIN)', () => {
	it('answers preflights with 200 and puts the CORS headers on every response, with no origin check', async () => {
		const preflight = await call(open, 'OPTIONS', '/prompt', { Host: `127.0.0.1:${open.port}`, Origin: 'https://pocket.example' });
		expect(preflight.status).toBe(200);
		const got = await call(open, 'GET', '/system_stats', { Host: `127.0.0.1:${open.port}`, Origin: 'https://pocket.example' });
		expect(got.status).toBe(200);
		expect(got.headers).toMatchObject({
			'access-control-allow-origin': 'https://pocket.example',
			'access-control-allow-methods': 'POST, GET, DELETE, PUT, OPTIONS',
			'access-control-allow-headers': 'Content-Type, Authorization',
			'access-control-allow-credentials': 'true'
		});
	});
});
