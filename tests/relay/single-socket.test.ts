// ComfyUI's registry hazard: a second socket under the same clientId is silently deafened when the first one closes.
// This file has its own Durable Object (and so its own clientId); the tunnel proxy counts the WebSockets it carries.
import { env, runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { cutTunnel, finished, maxSocketsPerClient, queueRun, waitUpstreamLive } from './runs';
import { openPhone, pairPhone, type TestPhone } from './support';

const relay = () => env.RELAY.get(env.RELAY.idFromName(env.COMFY_URL));
const lives = (p: TestPhone) => p.texts.filter((e) => e.t === 'upstream' && e.state.status === 'live').length;

describe('one upstream socket per clientId', () => {
	it('never has two open through an outage, a recycle and an idle period', async () => {
		const { token } = await pairPhone();
		const phone = await openPhone(token);
		await waitUpstreamLive(phone);

		const before = lives(phone);
		await cutTunnel(300);
		await phone.waitFor((p) => lives(p) > before);

		const again = lives(phone);
		await runInDurableObject(relay(), (r) => r.upstream.recycle('test'));
		await phone.waitFor((p) => lives(p) > again);

		const promptId = await queueRun(token, { steps: 3, delayMs: 30 });
		await phone.waitFor((p) => finished(p, promptId));
		phone.close();
		await new Promise((r) => setTimeout(r, 300));
		const second = await openPhone(token);
		await waitUpstreamLive(second);
		second.close();

		const clientId = String(await runInDurableObject(relay(), (_r, state) => state.storage.sql.exec("SELECT value FROM meta WHERE key = 'client_id'").one().value));
		expect((await maxSocketsPerClient())[clientId]).toBe(1);
	});
});
