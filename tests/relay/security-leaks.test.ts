// What leaves the relay: the upstream's address, its credentials and its headers must not reach phones, the phone's
// credentials must not reach ComfyUI, and errors must not carry the runtime's internals.
import { env } from 'cloudflare:test';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import worker from '../../durable-objects/src/index';
import type { Env as WorkerEnv } from '../../durable-objects/src/env';
import { passThrough, UNREACHABLE_MESSAGE, upstreamConfig, upstreamFetch, accessFailure } from '../../durable-objects/src/upstream-http';
import { call, openPhone, pairPhone } from './support';

const UPSTREAM = new URL(env.COMFY_URL);
let token = '';
beforeAll(async () => {
	token = (await pairPhone('leaks')).token;
});
afterEach(() => {
	vi.restoreAllMocks();
});

const CORS_HEADERS = ['access-control-allow-origin', 'access-control-allow-methods', 'access-control-allow-headers', 'access-control-max-age'];
const PASSED = ['x-content-type-options', 'content-security-policy', 'content-type', 'content-length', 'content-disposition', 'content-range', 'accept-ranges', 'etag', 'last-modified', 'cache-control'];

function expectNoUpstreamTrace(text: string, where: string): void {
	expect(text, where).not.toContain(UPSTREAM.host);
	expect(text, where).not.toContain(UPSTREAM.port);
}

describe('answers to phones', () => {
	it('pass on only content headers from ComfyUI, plus nosniff and a sandbox: no cookies, banners, redirects or Access headers', () => {
		const upstream = new Response('x', {
			status: 200,
			headers: {
				'Content-Type': 'image/png',
				'Set-Cookie': 'CF_Authorization=eyJhbGciOi; Path=/; HttpOnly',
				Server: 'Python/3.12 aiohttp/3.9.5',
				Location: 'http://192.168.1.20:8188/api/view',
				'CF-Access-Client-Id': 'leaked.access',
				'CF-Ray': '8f00000000000000-AMS',
				Via: '1.1 tunnel',
				'X-Forwarded-For': '192.168.1.20',
				'Access-Control-Allow-Origin': 'http://192.168.1.20:8188',
				'Access-Control-Allow-Credentials': 'true',
				'Alt-Svc': 'h3=":443"'
			}
		});
		const passed = passThrough(upstream).headers;
		expect([...passed.keys()].sort()).toEqual(['content-security-policy', 'content-type', 'x-content-type-options']);
		expect(passed.get('content-security-policy')).toContain('sandbox');
		expect(passed.get('x-content-type-options')).toBe('nosniff');
	});

	it('carry no header beyond content and CORS ones on real routes, and none names the upstream', async () => {
		const paths = ['/relay/api/api/system_stats', '/relay/api/api/queue', '/relay/api/api/object_info/KSampler', '/relay/api/api/view?filename=missing.png', '/relay/info'];
		for (const path of paths) {
			const res = await call(path, { bearer: token });
			await res.arrayBuffer();
			for (const [name, value] of res.headers) {
				expect([...PASSED, ...CORS_HEADERS, 'www-authenticate'], `${path}: ${name}`).toContain(name);
				expectNoUpstreamTrace(value, `${path}: ${name}`);
			}
		}
	});

	it('never tell a phone where ComfyUI is: not in /relay/info, nor in the socket’s hello', async () => {
		expectNoUpstreamTrace(await (await call('/relay/info', { bearer: token })).text(), '/relay/info');
		const phone = await openPhone(token);
		await phone.waitFor((p) => p.texts.length > 0);
		expectNoUpstreamTrace(JSON.stringify(phone.texts), 'hello');
		phone.close();
	});

	it('say the upstream is unreachable in fixed words, without the runtime’s message, address or reference', async () => {
		for (const base of ['http://127.0.0.1:1', 'https://comfy-pocket-test.invalid']) {
			const res = await upstreamFetch(upstreamConfig({ COMFY_URL: base } as never), '/api/queue');
			expect(res.status).toBe(502);
			const body = (await res.json()) as { error: string; message: string };
			expect(body).toEqual({ error: 'upstream-unreachable', message: UNREACHABLE_MESSAGE });
			expect(JSON.stringify(body)).not.toContain(new URL(base).hostname);
		}
	});

	it('name neither the Access team domain nor the upstream when Access refuses the relay', () => {
		const failure = accessFailure(
			new Response(null, { status: 302, headers: { Location: 'https://myteam.cloudflareaccess.com/cdn-cgi/access/login/comfy.internal.example' } })
		);
		expect(failure?.message).not.toContain('myteam');
		expect(failure?.message).not.toContain('comfy.internal.example');
	});

	it('answer malformed bodies with a short message, not a parser stack trace', async () => {
		for (const body of ['{', '[]', 'null', '"x"', '\u0000']) {
			const res = await call('/relay/api/api/prompt', { method: 'POST', bearer: token, body });
			expect(res.status, body).toBe(400);
			const text = await res.text();
			expect(text, body).not.toMatch(/SyntaxError|at .*\.ts|position \d+/);
		}
	});
});

describe('requests to ComfyUI', () => {
	it('carry the relay’s own credentials only: never the phone’s token, cookies or forwarding headers', async () => {
		const seen: Request[] = [];
		const realFetch = globalThis.fetch;
		vi.spyOn(globalThis, 'fetch').mockImplementation((input, init) => {
			const request = new Request(input, init);
			seen.push(request.clone());
			return realFetch(request);
		});
		const headers = {
			Authorization: `Bearer ${token}`,
			Cookie: 'session=phone-cookie',
			'CF-Connecting-IP': '100.64.9.1',
			'X-Forwarded-For': '6.6.6.6',
			'X-Forwarded-Host': 'evil.example',
			Origin: 'https://evil.example',
			Referer: 'https://evil.example/page',
			'CF-Access-Client-Id': 'phone-forged.access',
			'X-Relay-Device': 'forged'
		};
		const res = await worker.fetch(new Request('https://relay.test/relay/api/api/object_info/KSampler', { headers }), env as unknown as WorkerEnv); // the tests' env types RELAY as the class
		await res.arrayBuffer();
		expect(res.status).toBe(200);
		expect(seen).toHaveLength(1);
		const upstream = seen[0];
		expect(new URL(upstream.url).origin).toBe(UPSTREAM.origin);
		for (const name of ['authorization', 'cookie', 'cf-connecting-ip', 'x-forwarded-for', 'x-forwarded-host', 'origin', 'referer', 'cf-access-client-id', 'x-relay-device']) {
			expect(upstream.headers.get(name), name).toBeNull();
		}
		expect(upstream.redirect).toBe('manual');
	});
});
