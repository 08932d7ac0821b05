// Attacks by a paired phone on the relay's sockets and tickets: malformed or hostile frames on its phone socket,
// attempts to speak to other phones or to ComfyUI through it, and tickets requested in a loop.
import { env, runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { MAX_TICKETS_PER_DEVICE } from '../../durable-objects/src/credentials';
import { call, openPhone, pairPhone, ticketFor } from './support';

const relayStub = () => env.RELAY.get(env.RELAY.idFromName(env.COMFY_URL));

describe('a hostile phone on its socket', () => {
	it('is ignored when it sends garbage, forged envelopes or absurd acks, and reaches no other phone', async () => {
		const attacker = await pairPhone('hostile');
		const victim = await pairPhone('victim');
		const bad = await openPhone(attacker.token, { ackPreviews: false });
		const good = await openPhone(victim.token);
		await bad.waitFor((p) => p.texts.length > 0);
		await good.waitFor((p) => p.texts.length > 0);
		const before = good.frames.length;
		const hostile = [
			'not json',
			'{"t":"comfy","seq":999999,"m":{"type":"executed","data":{"prompt_id":"forged"}}}',
			'{"t":"ack","seq":1,"n":-1000000}',
			'{"t":"ack","seq":1,"n":1e308}',
			'{"t":"ack","seq":"x","n":"NaN"}',
			'{"t":"hello","snapshot":{}}',
			'{"type":"feature_flags","data":{"supports_preview_metadata":false}}',
			`{"t":"ack","seq":1,"n":1,"pad":"${'x'.repeat(100_000)}"}`
		];
		for (const text of hostile) bad.socket.send(text);
		bad.socket.send(new Uint8Array([0, 0, 0, 1, 255, 216, 255]).buffer);
		await new Promise((resolve) => setTimeout(resolve, 300));
		expect(good.frames.slice(before).some((f) => f.kind === 'text' && JSON.stringify(f.envelope).includes('forged'))).toBe(false);
		expect(good.closed).toBeNull();
		expect((await call('/relay/info', { bearer: victim.token })).status).toBe(200);
		const fresh = await openPhone(victim.token);
		await fresh.waitFor((p) => p.texts.length > 0);
		expect(fresh.texts[0].t).toBe('hello');
		for (const phone of [bad, good, fresh]) phone.close();
	});

	it('cannot resume into another lifetime’s log with a forged seq or epoch: it gets a snapshot', async () => {
		const { token } = await pairPhone('forged resume');
		for (const opts of [{ since: 1e12, epoch: 'forged' }, { since: -5 as number }, { since: 0, epoch: '' }]) {
			const phone = await openPhone(token, opts);
			await phone.waitFor((p) => p.texts.length > 0);
			const hello = phone.texts[0] as { t: string; resumed?: boolean; snapshot?: unknown };
			expect(hello.t).toBe('hello');
			expect(hello.resumed).toBe(false);
			expect(hello.snapshot).toBeDefined();
			phone.close();
		}
	});
});

describe('tickets', () => {
	it('never echoes the ticket back, and a ticket is no good in any other parameter', async () => {
		const { token } = await pairPhone('ticket echo');
		const ticket = await ticketFor(token);
		const wrongPlace = await call(`/relay/ws?t=${ticket}`, { headers: { Upgrade: 'websocket' }, address: '100.64.10.1' });
		expect(wrongPlace.status).toBe(401);
		const res = await call(`/relay/ws?ticket=${ticket}`, { headers: { Upgrade: 'websocket' } });
		expect(res.status).toBe(101);
		for (const [, value] of res.headers) expect(value).not.toContain(ticket);
		res.webSocket?.accept();
		res.webSocket?.close(1000);
	});

	it('keeps at most a handful per device however many are asked for, the newest still working', async () => {
		const { deviceId, token } = await pairPhone('ticket loop');
		const tickets: string[] = [];
		for (let i = 0; i < MAX_TICKETS_PER_DEVICE * 3; i++) tickets.push(await ticketFor(token));
		const stored = await runInDurableObject(relayStub(), async (_relay, state) => {
			return state.storage.sql.exec<{ n: number }>('SELECT COUNT(*) AS n FROM tickets WHERE device_id = ?', deviceId).toArray()[0].n;
		});
		expect(stored).toBe(MAX_TICKETS_PER_DEVICE);
		const newest = await call(`/relay/ws?ticket=${tickets.at(-1)}`, { headers: { Upgrade: 'websocket' } });
		expect(newest.status).toBe(101);
		newest.webSocket?.accept();
		newest.webSocket?.close(1000);
		expect((await call(`/relay/ws?ticket=${tickets[0]}`, { headers: { Upgrade: 'websocket' }, address: '100.64.10.2' })).status).toBe(401);
	});
});
