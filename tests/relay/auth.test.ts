import { describe, expect, it } from 'vitest';
import { ADMIN_SECRET, call, createCode, freshAddress, openPhone, pairPhone, ticketFor } from './support';

describe('pairing and authentication', () => {
	it('pairs a phone with a one-time code and lets its token in', async () => {
		const { deviceId, token } = await pairPhone();
		expect(token.startsWith(`${deviceId}.`)).toBe(true);
		const res = await call('/relay/info', { bearer: token });
		expect(res.status).toBe(200);
		const info = (await res.json()) as Record<string, unknown>;
		expect(info.simulated).toBe(false);
		expect(JSON.stringify(info)).not.toContain('127.0.0.1');
	});

	it('refuses a request without a token with a bare 401', async () => {
		const res = await call('/relay/info', { address: freshAddress() });
		expect(res.status).toBe(401);
		expect(await res.text()).toBe('');
		expect((await call('/relay/api/system_stats', { address: freshAddress() })).status).toBe(401);
	});

	it('refuses a wrong token, including a real device id with a wrong secret', async () => {
		const { deviceId } = await pairPhone();
		for (const bearer of ['nonsense', `${deviceId}.wrong-secret`, `${deviceId}.`]) {
			expect((await call('/relay/info', { bearer, address: freshAddress() })).status).toBe(401);
			expect((await call('/relay/api/queue', { bearer, address: freshAddress() })).status).toBe(401);
		}
	});

	it('refuses a revoked device and closes its open sockets', async () => {
		const { deviceId, token } = await pairPhone();
		const other = await pairPhone();
		const phone = await openPhone(token);
		await phone.waitFor((p) => p.texts.length > 0);
		const revoke = await call(`/relay/admin/devices/${deviceId}`, { method: 'DELETE', bearer: ADMIN_SECRET });
		expect(revoke.status).toBe(204);
		await phone.waitFor((p) => p.closed !== null);
		expect(phone.closed?.code).toBe(4001);
		expect((await call('/relay/info', { bearer: token, address: freshAddress() })).status).toBe(401);
		expect((await call('/relay/ticket', { method: 'POST', bearer: token, address: freshAddress() })).status).toBe(401);
		expect((await call('/relay/info', { bearer: other.token })).status).toBe(200);
	});

	it('lists paired devices to the owner without their secrets', async () => {
		const { deviceId, token } = await pairPhone('Kitchen tablet');
		const res = await call('/relay/admin/devices', { bearer: ADMIN_SECRET });
		const text = await res.text();
		expect(res.status).toBe(200);
		expect(text).toContain(deviceId);
		expect(text).toContain('Kitchen tablet');
		expect(text).not.toContain(token.split('.')[1]);
	});

	it('refuses admin calls without the admin secret', async () => {
		const address = freshAddress();
		expect((await call('/relay/admin/codes', { method: 'POST', address })).status).toBe(401);
		expect((await call('/relay/admin/codes', { method: 'POST', address, bearer: 'test-admin-secreT' })).status).toBe(401);
		const { token } = await pairPhone();
		expect((await call('/relay/admin/devices', { address, bearer: token })).status).toBe(401);
	});

	it('accepts a pairing code only once', async () => {
		const code = await createCode();
		const first = await call('/relay/pair', { method: 'POST', body: JSON.stringify({ code }) });
		expect(first.status).toBe(200);
		const replay = await call('/relay/pair', { method: 'POST', body: JSON.stringify({ code }), address: freshAddress() });
		expect(replay.status).toBe(401);
	});

	it('refuses an expired pairing code', async () => {
		const { env, runInDurableObject } = await import('cloudflare:test');
		const stub = env.RELAY.get(env.RELAY.idFromName(env.COMFY_URL));
		const code = await runInDurableObject(stub, async (relay) => (await relay.credentials.createPairingCode(-1)).code);
		const res = await call('/relay/pair', { method: 'POST', body: JSON.stringify({ code }), address: freshAddress() });
		expect(res.status).toBe(401);
	});

	it('rate-limits an address after repeated failures, with 429 and Retry-After', async () => {
		const address = freshAddress();
		const statuses: number[] = [];
		for (let i = 0; i < 12; i++) {
			statuses.push((await call('/relay/pair', { method: 'POST', body: JSON.stringify({ code: `guess${i}` }), address })).status);
		}
		expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true);
		const limited = await call('/relay/pair', { method: 'POST', body: JSON.stringify({ code: 'x' }), address });
		expect(limited.status).toBe(429);
		expect(Number(limited.headers.get('Retry-After'))).toBeGreaterThan(0);
		const code = await createCode();
		expect((await call('/relay/pair', { method: 'POST', body: JSON.stringify({ code }), address })).status).toBe(429);
		expect((await call('/relay/pair', { method: 'POST', body: JSON.stringify({ code }), address: freshAddress() })).status).toBe(200);
	});

	it('opens a phone socket only with a fresh, single-use ticket', async () => {
		const { token } = await pairPhone();
		const ticket = await ticketFor(token);
		const upgrade = { headers: { Upgrade: 'websocket' } };
		const first = await call(`/relay/ws?ticket=${ticket}`, upgrade);
		expect(first.status).toBe(101);
		first.webSocket?.accept();
		first.webSocket?.close(1000);
		const again = await call(`/relay/ws?ticket=${ticket}`, { ...upgrade, address: freshAddress() });
		expect(again.status).toBe(401);
		expect((await call(`/relay/ws?ticket=${token}`, { ...upgrade, address: freshAddress() })).status).toBe(401);
		expect((await call('/relay/ws', { ...upgrade, address: freshAddress() })).status).toBe(401);
		expect((await call('/relay/ws?ticket=nope', { address: freshAddress() })).status).toBe(401);
	});

	it('refuses an expired ticket', async () => {
		const { env, runInDurableObject } = await import('cloudflare:test');
		const { deviceId } = await pairPhone();
		const stub = env.RELAY.get(env.RELAY.idFromName(env.COMFY_URL));
		const ticket = await runInDurableObject(stub, async (relay, state) => {
			const issued = await relay.credentials.issueTicket(deviceId);
			state.storage.sql.exec('UPDATE tickets SET expires_at = 0');
			return issued.ticket;
		});
		const res = await call(`/relay/ws?ticket=${ticket}`, { headers: { Upgrade: 'websocket' }, address: freshAddress() });
		expect(res.status).toBe(401);
	});

	it('answers CORS preflights, since it authenticates by bearer token and never by cookie', async () => {
		const preflight = await call('/relay/api/api/prompt', { method: 'OPTIONS', headers: { Origin: 'http://localhost:5173' } });
		expect(preflight.status).toBe(204);
		expect(preflight.headers.get('Access-Control-Allow-Headers')).toContain('Authorization');
		const refused = await call('/relay/info', { address: freshAddress(), headers: { Origin: 'http://localhost:5173' } });
		expect(refused.status).toBe(401);
		expect(refused.headers.get('Access-Control-Allow-Origin')).toBe('*');
	});

	it('answers unknown relay paths with 404', async () => {
		expect((await call('/relay/nope')).status).toBe(404);
	});
});
