import { abortAllDurableObjects, env, runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { finished, muteTunnel, queueRun, waitUpstreamLive } from './runs';
import { openPhone, pairPhone } from './support';

const relay = () => env.RELAY.get(env.RELAY.idFromName(env.COMFY_URL));
const upstreamStatus = () => runInDurableObject(relay(), (r) => r.upstream.state.status);

async function eventually(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!(await check())) {
		if (Date.now() > deadline) throw new Error('condition not reached');
		await new Promise((r) => setTimeout(r, 50));
	}
}

describe('the upstream connection', () => {
	it('is held while a phone is connected and released when none is and no job runs', async () => {
		const { token } = await pairPhone();
		const phone = await openPhone(token);
		await waitUpstreamLive(phone);
		expect(await upstreamStatus()).toBe('live');
		phone.close();
		await eventually(async () => (await upstreamStatus()) === 'idle');
	});

	it('uses one stable clientId, the same after a restart of the object', async () => {
		const first = await runInDurableObject(relay(), (_r, state) => state.storage.sql.exec("SELECT value FROM meta WHERE key = 'client_id'").one().value);
		expect(String(first)).toMatch(/^relay-/);
		await abortAllDurableObjects();
		const again = await runInDurableObject(relay(), (_r, state) => state.storage.sql.exec("SELECT value FROM meta WHERE key = 'client_id'").one().value);
		expect(again).toBe(first);
	});

	it('recycles a socket that went deaf (ComfyUI unregistered it) and still delivers the result', async () => {
		const { token } = await pairPhone();
		const phone = await openPhone(token);
		await waitUpstreamLive(phone);
		await muteTunnel();
		const promptId = await queueRun(token, { steps: 3, delayMs: 50 });
		await phone.waitFor((p) => finished(p, promptId), 20_000);
		const states = phone.texts.flatMap((e) => (e.t === 'upstream' ? [e.state.status] : []));
		expect(states).toContain('backoff');
		phone.close();
	});


	it('stops waiting for a prompt whose outcome it could not learn within a day, and rests', async () => {
		const held = await runInDurableObject(relay(), (r, state) => {
			state.storage.sql.exec("INSERT INTO jobs (prompt_id, device_id, submitted_at) VALUES ('ancient', 'd', 0)");
			r.updateUpstreamNeed();
			return r.upstream.state.status;
		});
		expect(held).not.toBe('idle');
		await runInDurableObject(relay(), (_r, state) => state.storage.setAlarm(Date.now()));
		await runDurableObjectAlarm(relay());
		const jobs = await runInDurableObject(relay(), (_r, state) => state.storage.sql.exec('SELECT prompt_id FROM jobs').toArray().length);
		expect(jobs).toBe(0);
		await eventually(async () => (await upstreamStatus()) === 'idle');
	});
});
