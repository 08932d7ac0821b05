import { beforeAll, describe, expect, it } from 'vitest';
import { classifyApiRequest } from '../../durable-objects/src/allowlist';
import { accessFailure, upstreamConfig, upstreamUrl } from '../../durable-objects/src/upstream-http';
import { call, pairPhone } from './support';

let token = '';
beforeAll(async () => {
	token = (await pairPhone()).token;
});

const get = (path: string) => {
	const url = new URL(`https://x${path}`);
	return classifyApiRequest('GET', url.pathname, url.searchParams);
};

describe('the allowlist of forwarded ComfyUI requests', () => {
	it('allows the routes the app uses, with and without the /api prefix', () => {
		expect(classifyApiRequest('POST', '/api/prompt', new URLSearchParams())?.handler).toBe('relay');
		expect(classifyApiRequest('POST', '/interrupt', new URLSearchParams())?.upstreamPath).toBe('/api/interrupt');
		expect(get('/api/queue')?.handler).toBe('relay');
		expect(get('/api/history/abc-123')?.upstreamPath).toBe('/api/history/abc-123');
		expect(get('/api/object_info')?.handler).toBe('stream');
		expect(get('/api/object_info/Power%20Lora%20Loader%20(rgthree)')?.upstreamPath).toBe('/api/object_info/Power%20Lora%20Loader%20(rgthree)');
		expect(get('/api/models/checkpoints')?.handler).toBe('stream');
		expect(get('/api/system_stats')).not.toBeNull();
		expect(get('/api/features')).not.toBeNull();
		expect(get('/api/embeddings')).not.toBeNull();
		expect(get('/api/view?filename=a.png&subfolder=x%2Fy&type=temp&preview=webp;80')?.upstreamPath).toBe(
			'/api/view?filename=a.png&subfolder=x%2Fy&type=temp&preview=webp%3B80'
		);
		expect(get('/api/userdata?dir=workflows&recurse=true&full_info=true')?.upstreamPath).toBe('/api/userdata?dir=workflows&recurse=true&full_info=true');
		expect(get('/api/userdata/workflows%2Fsub%2Fmy%20flow.json')?.upstreamPath).toBe('/api/userdata/workflows%2Fsub%2Fmy%20flow.json');
		expect(classifyApiRequest('POST', '/api/upload/image', new URLSearchParams())?.handler).toBe('stream');
	});

	it('passes the server history list on with nothing but its numbers', () => {
		expect(get('/api/history?max_items=24')?.upstreamPath).toBe('/api/history?max_items=24');
		expect(get('/api/history?max_items=24&offset=48&clear=true&prompt_id=x')?.upstreamPath).toBe('/api/history?max_items=24&offset=48');
		expect(get('/api/history')?.upstreamPath).toBe('/api/history');
		for (const bad of ['max_items=0', 'max_items=abc', 'max_items=-1', 'max_items=999999', 'offset=-5', 'offset=1e3', 'max_items=2%0A']) {
			expect(get(`/api/history?${bad}`), bad).toBeNull();
		}
	});

	it('refuses path traversal in every free-form part', () => {
		expect(get('/api/view?filename=../../etc/passwd')).toBeNull();
		expect(get('/api/view?filename=a.png&subfolder=..%2F..')).toBeNull();
		expect(get('/api/view?filename=a.png&subfolder=%2Fetc')).toBeNull();
		expect(get('/api/userdata/workflows%2F..%2F..%2Fcomfy.settings.json')).toBeNull();
		expect(get('/api/userdata/comfy.settings.json')).toBeNull();
		expect(get('/api/object_info/..%2Fsystem_stats')).toBeNull();
		expect(get('/api/history/..')).toBeNull();
		expect(get('/api/models/..%5C..')).toBeNull();
	});

	it('refuses everything not on the list', () => {
		for (const path of ['/api/free', '/api/users', '/api/settings', '/api/internal/logs', '/api/userdata?dir=../..', '/api/userdata', '/extensions/x.js', '/', '/api/view?filename=a.png&type=secret']) {
			expect(get(path), path).toBeNull();
		}
		expect(classifyApiRequest('POST', '/api/history', new URLSearchParams())).toBeNull();
		expect(classifyApiRequest('POST', '/api/free', new URLSearchParams())).toBeNull();
		expect(classifyApiRequest('DELETE', '/api/userdata/workflows%2Fa.json', new URLSearchParams())).toBeNull();
		expect(classifyApiRequest('POST', '/api/userdata/workflows%2Fa.json', new URLSearchParams())).toBeNull();
	});

	it('builds upstream URLs only on the configured origin', () => {
		const cfg = upstreamConfig({ COMFY_URL: 'https://comfy.example.com/' } as never);
		expect(upstreamUrl(cfg, '/api/queue')).toBe('https://comfy.example.com/api/queue');
		expect(() => upstreamUrl(cfg, '//evil.example/api/queue')).toThrow();
		expect(() => upstreamUrl(cfg, '@evil.example/api')).toThrow();
		expect(new URL(upstreamUrl(cfg, '/api/@evil.example')).host).toBe('comfy.example.com');
	});
});

describe('upstream credentials', () => {
	it('sends the Access service token and the bearer only when configured', () => {
		const plain = upstreamConfig({ COMFY_URL: 'https://comfy.example.com' } as never);
		expect(plain.headers).toEqual({});
		const guarded = upstreamConfig({
			COMFY_URL: 'https://comfy.example.com',
			COMFY_ACCESS_CLIENT_ID: 'id.access',
			COMFY_ACCESS_CLIENT_SECRET: 'shh',
			COMFY_BEARER: 'tok'
		} as never);
		expect(guarded.headers).toEqual({ 'CF-Access-Client-Id': 'id.access', 'CF-Access-Client-Secret': 'shh', Authorization: 'Bearer tok' });
	});

	it('recognises Access refusing the relay: a login redirect or a 401', () => {
		const redirect = new Response(null, { status: 302, headers: { Location: 'https://team.cloudflareaccess.com/cdn-cgi/access/login/comfy.example.com' } });
		expect(accessFailure(redirect)?.message).toMatch(/Service Auth/);
		expect(accessFailure(new Response(null, { status: 401 }))?.error).toBe('upstream-unauthorized');
		expect(accessFailure(new Response(null, { status: 403 }))).toBeNull();
		expect(accessFailure(new Response('{}', { status: 200 }))).toBeNull();
	});
});

describe('open-proxy attempts through the Worker', () => {
	it('answers 404 to other hosts, unlisted paths and traversal, before contacting ComfyUI', async () => {
		const attempts = [
			'/relay/api/http://evil.example/api/queue',
			'/relay/api//evil.example/api/queue',
			'/relay/api/api/users',
			'/relay/api/api/userdata/comfy.settings.json',
			'/relay/api/api/view?filename=..%2F..%2Fsecret',
			'/relay/api/api/userdata/workflows%2F..%2Fcomfy.settings.json',
			'/relay/api/api/internal/logs'
		];
		for (const path of attempts) expect((await call(path, { bearer: token })).status, path).toBe(404);
		expect((await call('/relay/api/api/free', { method: 'POST', bearer: token, body: '{}' })).status).toBe(404);
	});

	it('never lets a dot-segment climb out of /relay/api', async () => {
		const res = await call('/relay/api/../admin/devices', { bearer: token });
		expect(res.status).toBe(401);
	});

	it('refuses oversized bodies with 413 and unsized uploads with 411', async () => {
		const big = JSON.stringify({ prompt: {}, pad: 'x'.repeat(9 * 1024 * 1024) });
		expect((await call('/relay/api/api/prompt', { method: 'POST', bearer: token, body: big })).status).toBe(413);
		expect((await call('/relay/api/api/interrupt', { method: 'POST', bearer: token, body: JSON.stringify({ prompt_id: 'a', pad: 'x'.repeat(70_000) }) })).status).toBe(413);
		const upload = await call('/relay/api/api/upload/image', { method: 'POST', bearer: token, headers: { 'Content-Length': String(40 * 1024 * 1024) }, body: 'x' });
		expect([413, 400]).toContain(upload.status);
		const stream = new ReadableStream({
			start(controller) {
				controller.enqueue(new TextEncoder().encode('x'));
				controller.close();
			}
		});
		expect((await call('/relay/api/api/upload/image', { method: 'POST', bearer: token, body: stream, duplex: 'half' } as RequestInit)).status).toBe(411);
	});

	it('refuses a global interrupt and a queue clear: they would touch other people’s prompts', async () => {
		expect((await call('/relay/api/api/interrupt', { method: 'POST', bearer: token, body: '{}' })).status).toBe(400);
		expect((await call('/relay/api/api/queue', { method: 'POST', bearer: token, body: JSON.stringify({ clear: true }) })).status).toBe(400);
	});
});
