import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fetchRelayInfo } from '$lib/app/session-relay-info';

let server: Server;
let origin: string;

beforeAll(async () => {
	server = createServer((req, res) => {
		if (req.url !== '/relay/info' || req.headers.authorization !== 'Bearer good') {
			res.writeHead(401).end();
			return;
		}
		res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ simulated: true, upstream: 'open' }));
	});
	await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
	origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => {
	server.close();
});

describe('relay info', () => {
	it('reads whether the relay serves a simulated ComfyUI, with the device token', async () => {
		expect(await fetchRelayInfo(`${origin}/`, 'good')).toEqual({ simulated: true });
	});

	it('gives null for a revoked token or an unreachable relay instead of throwing', async () => {
		expect(await fetchRelayInfo(origin, 'revoked')).toBeNull();
		expect(await fetchRelayInfo('http://127.0.0.1:9', 'good')).toBeNull();
	});
});
