// Attacks on the relay's forwarding: path traversal in every encoding, host and scheme injection, smuggled query
// parameters, unlisted methods and routes. Each one is tried on the allowlist itself and, where the Worker's URL
// handling matters, through the Worker with a paired device's token (so a refusal is the allowlist's, not auth's).
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { classifyApiRequest } from '../../durable-objects/src/allowlist';
import { upstreamConfig, upstreamUrl } from '../../durable-objects/src/upstream-http';
import { call, pairPhone } from './support';

let addresses = 0;
/** Addresses of this file alone: the limiter is shared by every test file, and these tests make it count failures. */
const freshAddress = () => `100.64.8.${++addresses}`;

let token = '';
beforeAll(async () => {
	token = (await pairPhone('security paths')).token;
});

const classify = (pathAndQuery: string, method = 'GET') => {
	const url = new URL(`https://relay.test/relay/api${pathAndQuery}`);
	return classifyApiRequest(method, url.pathname.slice('/relay/api'.length), url.searchParams);
};

/** The path ComfyUI (aiohttp) sees after decoding the upstream URL once: what its file APIs would open. */
function decodedOnce(upstreamPath: string): string[] {
	const url = new URL(`https://comfy.test${upstreamPath}`);
	const parts = url.pathname.split('/').map((p) => decodeURIComponent(p));
	for (const value of url.searchParams.values()) parts.push(...value.split('/'));
	return parts;
}

describe('path traversal through the allowlist', () => {
	const traversals = [
		'/api/view?filename=..%2F..%2Fetc%2Fpasswd',
		'/api/view?filename=a.png&subfolder=..',
		'/api/view?filename=a.png&subfolder=x%2F..%2F..',
		'/api/view?filename=a.png&subfolder=%2e%2e',
		'/api/view?filename=a.png&subfolder=.%2e%2F',
		'/api/view?filename=a.png&subfolder=..%5C..',
		'/api/view?filename=..%5Cwin.ini',
		'/api/view?filename=a.png&subfolder=...',
		'/api/view?filename=a.png&subfolder=..%20',
		'/api/view?filename=a.png&subfolder=x%2F.%2F',
		'/api/view?filename=a.png&subfolder=x%2F%2Fy',
		'/api/view?filename=a.png%00.jpg',
		'/api/view?filename=a.png%0d%0aX-Injected:1',
		'/api/view?filename=C:win.ini',
		'/api/view?filename=a.png&subfolder=C:%5CWindows',
		'/api/view?filename=a.png::$DATA',
		'/api/view?filename=%2Fetc%2Fpasswd',
		'/api/view?filename=',
		'/api/view?subfolder=x',
		'/api/userdata/workflows%2F..%2F..%2Fcomfy.settings.json',
		'/api/userdata/workflows%2F%2e%2e%2Fcomfy.settings.json',
		'/api/userdata/workflows%5C..%5Ccomfy.settings.json',
		'/api/userdata/workflows%2F...%2Fx.json',
		'/api/userdata/workflows%2Fc:x.json',
		'/api/userdata/workflows',
		'/api/userdata/%2Fworkflows%2Fx.json',
		'/api/userdata/workflows%2Fx.json%00',
		'/api/userdata/users.json',
		'/api/object_info/..',
		'/api/object_info/%2e%2e',
		'/api/object_info/..%2F..%2Fsystem_stats',
		'/api/object_info/a%5Cb',
		'/api/object_info/a%00',
		'/api/models/..%2F..',
		'/api/models/%252e%252e',
		'/api/history/..%2Fqueue',
		'/api/history/%2e%2e',
		'/api/history/a%2Fb',
		'/api/history/a%20b'
	];

	it('refuses each encoded, double-dot, backslash, NUL, CRLF, drive and stream form', () => {
		for (const attempt of traversals) expect(classify(attempt), attempt).toBeNull();
	});

	it('passes double-encoded dots on still encoded, so one decode upstream yields a literal name, never ..', () => {
		const route = classify('/api/userdata/workflows%2F%252e%252e%2Fcomfy.settings.json');
		expect(route?.upstreamPath).toBe('/api/userdata/workflows%2F%252e%252e%2Fcomfy.settings.json');
		expect(decodedOnce(route?.upstreamPath ?? '')).not.toContain('..');
		const view = classify('/api/view?filename=a.png&subfolder=%252e%252e');
		expect(new URL(`https://c${view?.upstreamPath}`).searchParams.get('subfolder')).toBe('%2e%2e');
	});

	it('answers 404 through the Worker to traversal the URL parser would normalise or keep', async () => {
		const attempts = [
			'/relay/api/api/view?filename=a.png&subfolder=%2e%2e%2f%2e%2e',
			'/relay/api/api/userdata/workflows%2F..%2Fcomfy.settings.json',
			'/relay/api/api/%2e%2e/%2e%2e/internal/logs',
			'/relay/api/api/object_info/%2e%2e%2fsystem_stats',
			'/relay/api/api\\..\\userdata\\comfy.settings.json',
			'/relay/api/api/view%3Ffilename=x',
			'/relay/api/api/prompt/..%2F..%2Ffree'
		];
		for (const path of attempts) expect((await call(path, { bearer: token })).status, path).toBe(404);
	});

	it('keeps every upstream path it builds free of .. once ComfyUI decodes it, for any input (property)', () => {
		const piece = fc.constantFrom('..', '.', '%2e', '%2E%2e', '%252e', '/', '%2f', '%2F', '\\', '%5c', '%00', ':', 'a', 'workflows', 'x.png', '%20', '?', '&', '=', '#', '@');
		const pathArb = fc.array(piece, { maxLength: 10 }).map((xs) => xs.join(''));
		const cfg = upstreamConfig({ COMFY_URL: 'https://comfy.example.com' } as never);
		fc.assert(
			fc.property(fc.constantFrom('/api/view?filename=', '/api/view?filename=a.png&subfolder=', '/api/userdata/workflows%2F', '/api/object_info/', '/api/models/', '/api/history/'), pathArb, (prefix, tail) => {
				let route;
				try {
					route = classify(prefix + tail);
				} catch {
					return true;
				}
				if (!route) return true;
				const parts = decodedOnce(route.upstreamPath);
				expect(parts.some((p) => /^[. ]+$/.test(p) && p.includes('..'))).toBe(false);
				expect(parts.some((p) => p.includes('\\') || p.includes('\0'))).toBe(false);
				expect(new URL(upstreamUrl(cfg, route.upstreamPath)).host).toBe('comfy.example.com');
				return true;
			}),
			{ numRuns: 2000 }
		);
	});
});

describe('host, scheme and query injection', () => {
	it('never lets the client choose where a request goes', async () => {
		const attempts = [
			'/relay/api/http:%2F%2Fevil.example%2Fapi%2Fqueue',
			'/relay/api/https://evil.example/api/queue',
			'/relay/api/@evil.example/api/queue',
			'/relay/api/%40evil.example/api/queue',
			'/relay/api/%2F%2Fevil.example/api/queue',
			'/relay/api/api/view?filename=a.png&type=output&url=http://evil.example/',
			'/relay/api/api/view?filename=//evil.example/a.png'
		];
		for (const path of attempts) {
			const route = classify(path.slice('/relay/api'.length));
			if (route) expect(route.upstreamPath, path).not.toContain('evil');
			const res = await call(path, { bearer: token, headers: { Host: 'evil.example', 'X-Forwarded-Host': 'evil.example' } });
			expect(res.status, path).toBe(404);
		}
	});

	it('rebuilds /view queries from checked values only: smuggled and duplicate parameters are dropped', () => {
		const smuggled = classify('/api/view?filename=a.png%26type%3Dsecret&type=output&foo=bar&filename=..%2Fx');
		expect(smuggled?.upstreamPath).toBe('/api/view?filename=a.png%26type%3Dsecret&subfolder=&type=output');
		expect(new URL(`https://c${smuggled?.upstreamPath}`).searchParams.getAll('type')).toEqual(['output']);
		expect(classify('/api/view?filename=a.png&type=../../')).toBeNull();
		expect(classify('/api/view?filename=a.png&preview=webp;80%26x=1')).toBeNull();
		expect(classify('/api/view?filename=a.png&channel=rgba%0d%0a')).toBeNull();
		expect(classify('/api/userdata?dir=workflows&recurse=1')).toBeNull();
		expect(classify('/api/userdata?dir=workflows%2F..')).toBeNull();
		expect(classify('/api/queue?x=1')?.upstreamPath).toBe('/api/queue');
		expect(classify('/api/object_info?node=KSampler')?.upstreamPath).toBe('/api/object_info');
	});
});

describe('methods and routes a phone may not use', () => {
	it('refuses every method but GET and POST, and POST on read-only routes', async () => {
		for (const method of ['PUT', 'PATCH', 'DELETE', 'HEAD', 'TRACE', 'CONNECT', 'PROPFIND']) {
			expect(classify('/api/queue', method), method).toBeNull();
			expect(classify('/api/prompt', method), method).toBeNull();
		}
		for (const path of ['/api/view?filename=a.png', '/api/object_info', '/api/system_stats', '/api/userdata/workflows%2Fa.json', '/api/history/abc']) {
			expect(classify(path, 'POST'), path).toBeNull();
		}
		for (const method of ['PUT', 'PATCH', 'DELETE']) {
			expect((await call('/relay/api/api/queue', { method, bearer: token })).status, method).toBe(404);
		}
	});

	it('opens no WebSocket straight to ComfyUI: the relay owns the only one', async () => {
		const res = await call('/relay/api/ws?clientId=relay', { bearer: token, headers: { Upgrade: 'websocket' } });
		expect(res.status).toBe(404);
		expect(res.webSocket).toBeNull();
		expect((await call('/relay/api/api/ws?clientId=x', { bearer: token, headers: { Upgrade: 'websocket' } })).status).toBe(404);
	});

	it('keeps the Durable Object’s internal API out of reach, even with its device header forged', async () => {
		const forged = { 'X-Relay-Device': 'attacker' };
		const address = freshAddress();
		for (const path of ['/relay/internal/api/queue', '/relay/api/../internal/api/queue', '/internal/api/queue']) {
			const res = await call(path, { headers: forged, address });
			expect([401, 404], path).toContain(res.status);
			expect(await res.text(), path).toBe('');
		}
		const prompt = await call('/relay/internal/api/prompt', { method: 'POST', headers: forged, address, body: JSON.stringify({ prompt: {} }) });
		expect(prompt.status).toBe(404);
	});

	it('refuses the ComfyUI routes that change the server: free, settings, users, manager, uploads of masks', async () => {
		const posts = ['/api/free', '/api/history', '/api/settings/Comfy.Foo', '/api/users', '/api/userdata/workflows%2Fa.json', '/api/upload/mask', '/api/manager/reboot', '/api/v2/manager/queue/start'];
		for (const path of posts) expect(classify(path, 'POST'), path).toBeNull();
		const gets = ['/api/settings', '/api/users', '/api/logs/raw', '/api/internal/folder_paths', '/api/manager/reboot', '/api/extensions', '/api/i18n'];
		for (const path of gets) expect(classify(path), path).toBeNull();
		// GET /api/history is the Server history list (paired devices see the server's results); only max_items and
		// offset pass (open-proxy.test.ts), and POST /api/history (clear/delete) stays refused above.
	});
});
