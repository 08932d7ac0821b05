// The real send: a prompt run on the emulator through the relay ends, and the relay POSTs an encrypted Web Push
// message to the (fake) push service of every subscription, as RFC 8291 and RFC 8292 ask.
import { env, runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { RelayStore } from '../../durable-objects/src/relay-store';
import { cutTunnel, finished, queueRun, sawProgress, waitUpstreamLive } from './runs';
import { call, openPhone, pairPhone } from './support';
import { checkVapid, decryptPush, newSubscriber, PUSH_ORIGIN, putSubscription, recordedPushes, waitForPushes } from './push-support';

const relayStub = () => env.RELAY.get(env.RELAY.idFromName(env.COMFY_URL));

describe('Web Push when a prompt ends', () => {
	it('sends each subscribed device one aes128gcm message with a VAPID JWT the relay key verifies', async () => {
		const { token } = await pairPhone();
		const other = await pairPhone();
		const subscriber = await newSubscriber();
		const otherSubscriber = await newSubscriber();
		expect((await putSubscription(token, subscriber.json)).status).toBe(204);
		expect((await putSubscription(other.token, otherSubscriber.json)).status).toBe(204);
		const { publicKey } = (await (await call('/relay/push/key', { bearer: token })).json()) as { publicKey: string };
		const phone = await openPhone(token);
		const before = Date.now();
		const promptId = await queueRun(token, { steps: 3, delayMs: 20 });
		await phone.waitFor((p) => finished(p, promptId));

		const [push] = await waitForPushes(subscriber.endpoint, 1);
		expect(push, 'no push reached the fake service').toBeDefined();
		expect(push.headers['content-encoding']).toBe('aes128gcm');
		expect(push.headers['content-type']).toBe('application/octet-stream');
		expect(push.headers.ttl).toBe('3600');
		expect(push.headers.urgency).toBe('normal');
		const vapid = await checkVapid(push.headers.authorization);
		expect(vapid.valid).toBe(true);
		expect(vapid.k).toBe(publicKey);
		expect(vapid.claims.aud).toBe(PUSH_ORIGIN);
		expect(vapid.claims.sub).toBe('https://relay.test');
		expect(vapid.claims.exp * 1000).toBeGreaterThan(before);
		expect(vapid.claims.exp * 1000).toBeLessThanOrEqual(Date.now() + 24 * 3600_000);
		expect(push.body.length).toBeLessThan(2048);
		expect(JSON.parse(await decryptPush(push.body, subscriber))).toEqual({ promptId, status: 'succeeded' });
		await new Promise((resolve) => setTimeout(resolve, 300));
		expect(await recordedPushes(subscriber.endpoint), 'one push per prompt end').toHaveLength(1);

		// The other device's message is encrypted for its own keys, not readable with the first one's.
		const [otherPush] = await waitForPushes(otherSubscriber.endpoint, 1);
		expect(JSON.parse(await decryptPush(otherPush.body, otherSubscriber))).toEqual({ promptId, status: 'succeeded' });
		await expect(decryptPush(otherPush.body, subscriber)).rejects.toThrow();
		phone.close();
		for (const t of [token, other.token]) await call('/relay/push/subscription', { method: 'DELETE', bearer: t });
	});

	it("carries the phone's label for the run as the title, on one line and at most 80 characters", async () => {
		const { token } = await pairPhone();
		const subscriber = await newSubscriber();
		await putSubscription(token, subscriber.json);
		const phone = await openPhone(token);
		const labelled = await queueRun(token, { steps: 2, delayMs: 20, title: ' Portrait\n\u001b[31mstudio ' });
		await phone.waitFor((p) => finished(p, labelled));
		const long = await queueRun(token, { steps: 2, delayMs: 20, title: 'x'.repeat(200) });
		await phone.waitFor((p) => finished(p, long));
		const pushes = await waitForPushes(subscriber.endpoint, 2);
		const notices = await Promise.all(pushes.map(async (p) => JSON.parse(await decryptPush(p.body, subscriber)) as { promptId: string; title?: string }));
		expect(notices.find((n) => n.promptId === labelled)?.title).toBe('Portrait [31mstudio');
		expect(notices.find((n) => n.promptId === long)?.title).toBe('x'.repeat(80));
		phone.close();
		await call('/relay/push/subscription', { method: 'DELETE', bearer: token });
	});

	it('reports a prompt stopped on the server as interrupted', async () => {
		const { token } = await pairPhone();
		const subscriber = await newSubscriber();
		await putSubscription(token, subscriber.json);
		const phone = await openPhone(token);
		const promptId = await queueRun(token, { steps: 40, delayMs: 50 });
		await phone.waitFor((p) => p.comfyTypes.includes('progress'));
		const stop = await call('/relay/api/api/interrupt', { method: 'POST', bearer: token, body: JSON.stringify({ prompt_id: promptId }) });
		expect(stop.status).toBe(200);
		await phone.waitFor((p) => finished(p, promptId));
		const pushes = await waitForPushes(subscriber.endpoint, 1);
		const notices = await Promise.all(pushes.map(async (p) => JSON.parse(await decryptPush(p.body, subscriber)) as { promptId: string; status: string }));
		expect(notices.find((n) => n.promptId === promptId)).toEqual({ promptId, status: 'interrupted' });
		phone.close();
		await call('/relay/push/subscription', { method: 'DELETE', bearer: token });
	});

	it('also sends it when the end is only learnt from /history after an upstream outage', async () => {
		const { token } = await pairPhone();
		const subscriber = await newSubscriber();
		await putSubscription(token, subscriber.json);
		const phone = await openPhone(token);
		await waitUpstreamLive(phone);
		const promptId = await queueRun(token, { steps: 8, delayMs: 60 });
		await phone.waitFor((p) => sawProgress(p, promptId));
		await cutTunnel(1500);
		await phone.waitFor((p) => finished(p, promptId), 20_000);
		expect(phone.texts.some((e) => e.t === 'comfy' && e.from === 'history' && (e.m as { type: string }).type === 'execution_success')).toBe(true);
		const pushes = await waitForPushes(subscriber.endpoint, 1);
		expect(pushes).toHaveLength(1);
		expect(JSON.parse(await decryptPush(pushes[0].body, subscriber))).toEqual({ promptId, status: 'succeeded' });
		phone.close();
		await call('/relay/push/subscription', { method: 'DELETE', bearer: token });
	});

	it('does not follow a redirect from a push service, and keeps the subscription', async () => {
		const { deviceId, token } = await pairPhone();
		const subscriber = await newSubscriber({ redirect: true });
		await putSubscription(token, subscriber.json);
		const phone = await openPhone(token);
		const promptId = await queueRun(token, { steps: 2, delayMs: 20 });
		await phone.waitFor((p) => finished(p, promptId));
		expect(await waitForPushes(subscriber.endpoint, 1)).toHaveLength(1);
		await new Promise((resolve) => setTimeout(resolve, 300));
		const followed = `${PUSH_ORIGIN}/push/followed${new URL(subscriber.endpoint).pathname}`;
		expect(await recordedPushes(followed)).toHaveLength(0);
		expect(await runInDurableObject(relayStub(), async (relay) => relay.pushSubscriptions.forDevice(deviceId))).not.toBeNull();
		phone.close();
		await call('/relay/push/subscription', { method: 'DELETE', bearer: token });
	});

	it('deletes a subscription whose push service answers 410 Gone', async () => {
		const { deviceId, token } = await pairPhone();
		const subscriber = await newSubscriber({ gone: true });
		expect((await putSubscription(token, subscriber.json)).status).toBe(204);
		const phone = await openPhone(token);
		const promptId = await queueRun(token, { steps: 2, delayMs: 20 });
		await phone.waitFor((p) => finished(p, promptId));
		expect((await waitForPushes(subscriber.endpoint, 1)).length).toBeGreaterThanOrEqual(1);
		const deadline = Date.now() + 5_000;
		let stored = await runInDurableObject(relayStub(), async (relay) => relay.pushSubscriptions.forDevice(deviceId));
		while (stored && Date.now() < deadline) {
			await new Promise((resolve) => setTimeout(resolve, 100));
			stored = await runInDurableObject(relayStub(), async (relay) => relay.pushSubscriptions.forDevice(deviceId));
		}
		expect(stored).toBeNull();
		phone.close();
	});
});

describe('the job table of a relay deployed before push titles', () => {
	it('gains the title and device name columns without losing its jobs', async () => {
		const stub = env.RELAY.get(env.RELAY.idFromName('push-title-migration'));
		const columns = await runInDurableObject(stub, async (_relay, state) => {
			const sql = state.storage.sql;
			sql.exec('DROP TABLE jobs');
			sql.exec('CREATE TABLE jobs (prompt_id TEXT PRIMARY KEY, device_id TEXT NOT NULL, submitted_at INTEGER NOT NULL)');
			sql.exec("INSERT INTO jobs VALUES ('old-prompt', 'dev', 1)");
			const store = new RelayStore(sql);
			store.trackJob('new-prompt', 'dev', 2, 'Portrait');
			return { names: sql.exec<{ name: string }>('PRAGMA table_info(jobs)').toArray().map((c) => c.name), jobs: store.activeJobs(), title: store.jobTitle('new-prompt'), none: store.jobTitle('old-prompt') };
		});
		expect(columns).toEqual({ names: ['prompt_id', 'device_id', 'submitted_at', 'title', 'device_name'], jobs: ['old-prompt', 'new-prompt'], title: 'Portrait', none: undefined });
	});
});

describe('Web Push scope: my runs or all runs on this server', () => {
	it('sends a "my runs" device only the prompts it queued, and an "all runs" device every prompt', async () => {
		const anna = await pairPhone('Anna');
		const ben = await pairPhone('Ben');
		const carl = await pairPhone('Carl');
		const [annaSub, benSub, carlSub] = await Promise.all([newSubscriber(), newSubscriber(), newSubscriber()]);
		expect((await putSubscription(anna.token, { ...annaSub.json, scope: 'mine' })).status).toBe(204);
		expect((await putSubscription(ben.token, { ...benSub.json, scope: 'mine' })).status).toBe(204);
		// No scope given (a phone from before shared runs): every prompt, as before.
		expect((await putSubscription(carl.token, carlSub.json)).status).toBe(204);
		const phone = await openPhone(anna.token);
		const promptId = await queueRun(anna.token, { steps: 2, delayMs: 20 });
		await phone.waitFor((p) => finished(p, promptId));
		const [own] = await waitForPushes(annaSub.endpoint, 1);
		expect(JSON.parse(await decryptPush(own.body, annaSub)).promptId).toBe(promptId);
		const [all] = await waitForPushes(carlSub.endpoint, 1);
		expect(JSON.parse(await decryptPush(all.body, carlSub)).promptId).toBe(promptId);
		await new Promise((resolve) => setTimeout(resolve, 300));
		expect(await recordedPushes(benSub.endpoint), "Ben chose his runs only; this was Anna's").toHaveLength(0);
		phone.close();
		for (const t of [anna.token, ben.token, carl.token]) await call('/relay/push/subscription', { method: 'DELETE', bearer: t });
	});
});
