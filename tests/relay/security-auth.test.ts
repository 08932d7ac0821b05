// Attacks on the relay's authentication: every route without credentials, credentials in the wrong place or of
// the wrong kind, races on single-use secrets, guessing at volume (including from a whole IPv6 /64), and what an
// attacker with a copy of the Durable Object's storage would find.
import { env, runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { PAIRING_CODE_TTL_MS } from '../../durable-objects/src/credentials';
import { randomCode, sha256Hex } from '../../durable-objects/src/crypto';
import { FailureLimiter, rateLimitKey } from '../../durable-objects/src/rate-limit';
import { MIN_ADMIN_SECRET_LENGTH, routeControl } from '../../durable-objects/src/relay-control';
import { TICKET_TTL_MS } from '../../src/lib/relay/protocol';
import { ADMIN_SECRET, call, createCode, pairPhone, ticketFor } from './support';

let addresses = 0;
/** Addresses of this file alone: the limiter is shared by every test file, and these tests make it count failures. */
const freshAddress = () => `100.64.7.${++addresses}`;

const relayStub = () => env.RELAY.get(env.RELAY.idFromName(env.COMFY_URL));

const PROTECTED: [string, string][] = [
	['GET', '/relay/info'],
	['POST', '/relay/ticket'],
	['GET', '/relay/ws'],
	['POST', '/relay/admin/codes'],
	['GET', '/relay/admin/devices'],
	['DELETE', '/relay/admin/devices/abc'],
	['GET', '/relay/api/api/queue'],
	['POST', '/relay/api/api/prompt'],
	['POST', '/relay/api/api/interrupt'],
	['GET', '/relay/api/api/view?filename=a.png'],
	['GET', '/relay/api/api/object_info'],
	['POST', '/relay/api/api/upload/image'],
	['GET', '/relay/api/api/not-a-route'],
	['DELETE', '/relay/api/api/queue']
];

describe('nothing passes without authentication', () => {
	it('answers every protected route without credentials with a bare 401', async () => {
		for (const [method, path] of PROTECTED) {
			const res = await call(path, { method, address: freshAddress(), body: method === 'POST' ? '{}' : undefined });
			expect(res.status, `${method} ${path}`).toBe(401);
			expect(await res.text(), `${method} ${path}`).toBe('');
			expect(res.headers.get('Access-Control-Allow-Credentials'), path).toBeNull();
		}
	});

	it('takes a device token only from the Authorization header: not from the query, a cookie or another scheme', async () => {
		const { token } = await pairPhone('header only');
		const attempts: [string, Record<string, string>][] = [
			[`/relay/info?token=${token}`, {}],
			[`/relay/info?access_token=${token}`, {}],
			['/relay/info', { Cookie: `token=${token}; relay=${token}` }],
			['/relay/info', { Authorization: `Basic ${btoa(`x:${token}`)}` }],
			['/relay/info', { Authorization: `Token ${token}` }],
			['/relay/info', { Authorization: `Bearer ${token} extra` }],
			['/relay/info', { 'X-Relay-Device': token.split('.')[0] }],
			[`/relay/api/api/queue?token=${token}`, {}]
		];
		for (const [path, headers] of attempts) {
			expect((await call(path, { headers, address: freshAddress() })).status, JSON.stringify(headers) + path).toBe(401);
		}
	});

	it('keeps each kind of secret to its own door: tickets, device tokens and the admin secret are not interchangeable', async () => {
		const { token } = await pairPhone('doors');
		const ticket = await ticketFor(token);
		const address = freshAddress();
		expect((await call('/relay/info', { bearer: ticket, address })).status).toBe(401);
		expect((await call('/relay/api/api/queue', { bearer: ticket, address })).status).toBe(401);
		expect((await call('/relay/info', { bearer: ADMIN_SECRET, address })).status).toBe(401);
		expect((await call('/relay/admin/codes', { method: 'POST', bearer: token, address })).status).toBe(401);
		expect((await call(`/relay/ws?ticket=${encodeURIComponent(ADMIN_SECRET)}`, { headers: { Upgrade: 'websocket' }, address: freshAddress() })).status).toBe(401);
		expect((await call(`/relay/admin/codes?secret=${ADMIN_SECRET}`, { method: 'POST', address: freshAddress() })).status).toBe(401);
	});

	it('answers CORS without credentials support, so no browser sends cookies or reads answers meant for them', async () => {
		const preflight = await call('/relay/admin/codes', {
			method: 'OPTIONS',
			headers: { Origin: 'https://evil.example', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'authorization' }
		});
		expect(preflight.status).toBe(204);
		expect(preflight.headers.get('Access-Control-Allow-Origin')).toBe('*');
		expect(preflight.headers.get('Access-Control-Allow-Credentials')).toBeNull();
		const { token } = await pairPhone('cors');
		const ok = await call('/relay/info', { bearer: token, headers: { Origin: 'https://evil.example' } });
		expect(ok.status).toBe(200);
		expect(ok.headers.get('Access-Control-Allow-Credentials')).toBeNull();
		expect(ok.headers.get('Set-Cookie')).toBeNull();
	});
});

describe('single-use secrets under races', () => {
	it('pairs exactly one device when one code is redeemed ten times at once', async () => {
		const code = await createCode();
		const results = await Promise.all(
			Array.from({ length: 10 }, () => call('/relay/pair', { method: 'POST', body: JSON.stringify({ code }), address: freshAddress() }))
		);
		expect(results.map((r) => r.status).filter((s) => s === 200)).toHaveLength(1);
	});

	it('opens exactly one socket when one ticket is presented five times at once', async () => {
		const { token } = await pairPhone('ticket race');
		const ticket = await ticketFor(token);
		const results = await Promise.all(
			Array.from({ length: 5 }, () => call(`/relay/ws?ticket=${ticket}`, { headers: { Upgrade: 'websocket' }, address: freshAddress() }))
		);
		const opened = results.filter((r) => r.status === 101);
		expect(opened).toHaveLength(1);
		opened[0].webSocket?.accept();
		opened[0].webSocket?.close(1000);
	});

	it('refuses a ticket issued before its device was revoked', async () => {
		const { deviceId, token } = await pairPhone('revoked later');
		const ticket = await ticketFor(token);
		expect((await call(`/relay/admin/devices/${deviceId}`, { method: 'DELETE', bearer: ADMIN_SECRET })).status).toBe(204);
		expect((await call(`/relay/ws?ticket=${ticket}`, { headers: { Upgrade: 'websocket' }, address: freshAddress() })).status).toBe(401);
		expect((await call('/relay/api/api/queue', { bearer: token, address: freshAddress() })).status).toBe(401);
	});
});

describe('guessing', () => {
	it('makes pairing codes unguessable within their life even from every IPv4 address at the limiter’s pace', () => {
		const codes = new Set(Array.from({ length: 200 }, () => randomCode()));
		expect(codes.size).toBe(200);
		for (const code of codes) expect(code).toMatch(/^[a-z2-9]{20}$/);
		const bits = 20 * Math.log2(32);
		const guessesPerAddress = 10 * Math.ceil(PAIRING_CODE_TTL_MS / 60_000);
		const worstCase = Math.log2(2 ** 32 * guessesPerAddress);
		expect(bits).toBe(100);
		expect(bits - worstCase).toBeGreaterThan(55);
		expect(TICKET_TTL_MS).toBeLessThanOrEqual(60_000);
		expect(PAIRING_CODE_TTL_MS).toBeLessThanOrEqual(15 * 60_000);
	});

	it('limits every door after ten failures from one address: tokens, tickets and the admin secret', async () => {
		const doors: [string, RequestInit & { bearer?: string }][] = [
			['/relay/info', { bearer: 'dev.guess' }],
			['/relay/api/api/view?filename=a.png', { bearer: 'dev.guess' }],
			['/relay/ws?ticket=guess', { headers: { Upgrade: 'websocket' } }],
			['/relay/admin/devices', { bearer: 'guess-admin-secret' }]
		];
		for (const [path, init] of doors) {
			const address = freshAddress();
			for (let i = 0; i < 10; i++) expect((await call(path, { ...init, address })).status, path).toBe(401);
			const limited = await call(path, { ...init, address });
			expect(limited.status, path).toBe(429);
			expect(await limited.text()).toBe('');
		}
	});

	it('counts an IPv6 client’s whole /64 as one address, so rotating addresses buys no extra guesses', async () => {
		const prefix = `2001:db8:${Math.floor(Math.random() * 0xffff).toString(16)}:1`;
		for (let i = 0; i < 10; i++) {
			const res = await call('/relay/pair', { method: 'POST', body: JSON.stringify({ code: `guess${i}` }), address: `${prefix}::${(i + 1).toString(16)}` });
			expect(res.status).toBe(401);
		}
		const code = await createCode();
		expect((await call('/relay/pair', { method: 'POST', body: JSON.stringify({ code }), address: `${prefix}:ffff:0:0:42` })).status).toBe(429);
		expect((await call('/relay/pair', { method: 'POST', body: JSON.stringify({ code }), address: `${prefix.replace(/:1$/, ':2')}::1` })).status).toBe(200);
	});

	it('groups IPv6 addresses by /64 in every spelling and leaves IPv4 addresses whole', () => {
		expect(rateLimitKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
		expect(rateLimitKey('2001:0DB8:0000:0000:ffff:1:2:3')).toBe('2001:db8:0:0::/64');
		expect(rateLimitKey('2001:db8:0:0:0:0:0:0')).toBe('2001:db8:0:0::/64');
		expect(rateLimitKey('2001:db8:1::')).toBe('2001:db8:1:0::/64');
		expect(rateLimitKey('::1')).toBe('0:0:0:0::/64');
		expect(rateLimitKey('2001:db8:0:1::5')).not.toBe(rateLimitKey('2001:db8:0:2::5'));
		expect(rateLimitKey('203.0.113.7')).toBe('203.0.113.7');
	});

	it('keeps the limiter’s memory bounded when a flood of addresses fails once each', () => {
		const limiter = new FailureLimiter({ maxFailures: 10, windowMs: 60_000, maxTracked: 100 });
		for (let i = 0; i < 10_000; i++) limiter.fail(`10.0.${i >> 8}.${i & 255}`);
		for (let i = 0; i < 10; i++) limiter.fail('198.51.100.200');
		expect(limiter.retryAfterMs('198.51.100.200')).toBeGreaterThan(0);
		expect(limiter.retryAfterMs('10.0.0.0')).toBe(0);
	});

	it('keeps the admin routes shut while the configured admin secret is too short to resist guessing', async () => {
		const weak = 'short-secret';
		expect(weak.length).toBeLessThan(MIN_ADMIN_SECRET_LENGTH);
		const relay = { adminSecret: weak, limiter: new FailureLimiter({ maxFailures: 10, windowMs: 60_000 }) };
		const request = new Request('https://relay.test/relay/admin/codes', { method: 'POST', headers: { Authorization: `Bearer ${weak}` } });
		const res = await routeControl(relay as never, request, new URL(request.url));
		expect(res.status).toBe(503);
		expect(((await res.json()) as { error: string }).error).toBe('weak-admin-secret');
		const unset = { adminSecret: undefined, limiter: relay.limiter };
		const bare = new Request('https://relay.test/relay/admin/codes', { method: 'POST', headers: { Authorization: 'Bearer ' } });
		expect((await routeControl(unset as never, bare, new URL(bare.url))).status).toBe(401);
	});
});

describe('what the Durable Object stores', () => {
	it('keeps only SHA-256 digests of device secrets, pairing codes and tickets', async () => {
		const code = await createCode();
		const res = await call('/relay/pair', { method: 'POST', body: JSON.stringify({ code, name: 'stored' }) });
		const { deviceId, token } = (await res.json()) as { deviceId: string; token: string };
		const ticket = await ticketFor(token);
		const secret = token.slice(deviceId.length + 1);
		const dump = await runInDurableObject(relayStub(), async (_relay, state) => {
			const rows = ['devices', 'pairing_codes', 'tickets'].flatMap((t) => state.storage.sql.exec(`SELECT * FROM ${t}`).toArray());
			return JSON.stringify(rows);
		});
		for (const plain of [secret, code, ticket]) expect(dump).not.toContain(plain);
		expect(dump).toContain(await sha256Hex(secret));
		expect(dump).toContain(await sha256Hex(code));
		expect(dump).toContain(await sha256Hex(ticket));
	});

	it('stores a device name without terminal escape sequences, for the owner’s device list', async () => {
		const code = await createCode();
		const name = '\u001b[2J\u001b]0;pwned\u0007Evil\nphone';
		const res = await call('/relay/pair', { method: 'POST', body: JSON.stringify({ code, name }) });
		const { deviceId } = (await res.json()) as { deviceId: string };
		const list = (await (await call('/relay/admin/devices', { bearer: ADMIN_SECRET })).json()) as { deviceId: string; name: string }[];
		const stored = list.find((d) => d.deviceId === deviceId)?.name ?? '';
		expect(stored).not.toMatch(/[\u0000-\u001f\u007f]/);
		expect(stored).toContain('Evil');
	});
});

describe('secret comparison and pairing input', () => {
	it('compares secrets of any length without throwing, and only equal ones match', async () => {
		const { matchesHash, secretsEqual } = await import('../../durable-objects/src/crypto');
		expect(await secretsEqual('a', 'a-much-longer-expected-secret')).toBe(false);
		expect(await secretsEqual('test-admin-secre', 'test-admin-secret')).toBe(false);
		expect(await secretsEqual('', 'x')).toBe(false);
		expect(await secretsEqual('same-secret-value', 'same-secret-value')).toBe(true);
		expect(await matchesHash('x', 'short')).toBe(false);
		expect(await matchesHash('x', await sha256Hex('x'))).toBe(true);
	});

	it('counts malformed pairing attempts as failures and never crashes on them', async () => {
		const address = freshAddress();
		const bodies = ['', 'not json', '[]', 'null', '{"code":12345678}', '{"code":null}', `{"code":"${'a'.repeat(65)}"}`, `{"code":"a","pad":"${'x'.repeat(5000)}"}`, '{"code":{"$ne":""}}'];
		for (const body of bodies) expect((await call('/relay/pair', { method: 'POST', body, address })).status, body.slice(0, 40)).toBe(401);
		expect((await call('/relay/pair', { method: 'POST', body: '{}', address })).status).toBe(401);
		expect((await call('/relay/pair', { method: 'POST', body: '{}', address })).status).toBe(429);
	});

	it('accepts a typed code in any case and with stray spaces, as a person would enter it', async () => {
		const code = await createCode();
		const res = await call('/relay/pair', { method: 'POST', body: JSON.stringify({ code: `  ${code.toUpperCase()} ` }), address: freshAddress() });
		expect(res.status).toBe(200);
	});
});
