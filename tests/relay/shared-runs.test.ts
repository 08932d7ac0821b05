// Shared runs: every phone learns who queued a prompt (the pairing name) and who stopped it, live and from the
// snapshot when it joins mid-run; the other phones' Stop and cancel work on any prompt, by id only.
import { describe, expect, it } from 'vitest';
import type { RunInfo } from '../../src/lib/relay/protocol';
import { finished, queueRun, sawProgress, waitUpstreamLive } from './runs';
import { call, openPhone, pairPhone, type TestPhone } from './support';

const runsOf = (phone: TestPhone, promptId: string): RunInfo[] =>
	phone.texts.flatMap((e) => (e.t === 'run' && e.run.promptId === promptId ? [e.run] : []));

describe('shared runs through the relay', () => {
	it('tells every phone who queued a prompt and who stopped it', async () => {
		const anna = await pairPhone("Anna's phone");
		const ben = await pairPhone("Ben's tablet");
		const [a, b] = await Promise.all([openPhone(anna.token), openPhone(ben.token)]);
		await Promise.all([waitUpstreamLive(a), waitUpstreamLive(b)]);
		const promptId = await queueRun(anna.token, { steps: 40, delayMs: 60, title: 'Portrait' });
		await b.waitFor((p) => runsOf(p, promptId).length > 0 && sawProgress(p, promptId));
		expect(runsOf(b, promptId)[0]).toMatchObject({ promptId, deviceId: anna.deviceId, device: "Anna's phone", title: 'Portrait' });
		expect(runsOf(b, promptId)[0].stoppedBy).toBeUndefined();

		// A third phone that joins now gets the owner in its snapshot.
		const carl = await openPhone((await pairPhone('Carl')).token);
		await carl.waitFor((p) => p.texts.some((e) => e.t === 'hello'));
		const hello = carl.texts.find((e) => e.t === 'hello');
		expect(hello?.t === 'hello' && hello.snapshot?.runs?.find((r) => r.promptId === promptId)).toMatchObject({ device: "Anna's phone", title: 'Portrait' });
		expect(hello?.t === 'hello' && hello.snapshot?.running?.promptId).toBe(promptId);

		// Ben stops Anna's run.
		const res = await call('/relay/api/api/interrupt', { method: 'POST', bearer: ben.token, body: JSON.stringify({ prompt_id: promptId }) });
		expect(res.status).toBe(200);
		await Promise.all([a, b, carl].map((p) => p.waitFor((q) => finished(q, promptId))));
		for (const phone of [a, b, carl]) {
			expect(phone.comfyTypes).toContain('execution_interrupted');
			expect(runsOf(phone, promptId).at(-1)?.stoppedBy).toMatchObject({ deviceId: ben.deviceId, device: "Ben's tablet" });
		}
		[a, b, carl].forEach((p) => p.close());
	});

	it('lets another phone cancel a queued prompt and says who did', async () => {
		const anna = await pairPhone('Anna');
		const ben = await pairPhone('Ben');
		const b = await openPhone(ben.token);
		await waitUpstreamLive(b);
		const running = await queueRun(anna.token, { steps: 30, delayMs: 50 });
		const waiting = await queueRun(anna.token, { steps: 3, delayMs: 10 });
		await b.waitFor((p) => runsOf(p, waiting).length > 0);
		const res = await call('/relay/api/api/queue', { method: 'POST', bearer: ben.token, body: JSON.stringify({ delete: [waiting] }) });
		expect(res.status).toBe(200);
		await b.waitFor((p) => runsOf(p, waiting).some((r) => r.stoppedBy !== undefined));
		expect(runsOf(b, waiting).at(-1)?.stoppedBy?.device).toBe('Ben');
		const queue = (await (await call('/relay/api/api/queue', { bearer: ben.token })).json()) as { queue_pending: unknown[][] };
		expect(queue.queue_pending.some((item) => item[1] === waiting)).toBe(false);
		await call('/relay/api/api/interrupt', { method: 'POST', bearer: ben.token, body: JSON.stringify({ prompt_id: running }) });
		await b.waitFor((p) => finished(p, running));
		b.close();
	});

	it('says nothing about a stop ComfyUI refused, and keeps refusing a global interrupt', async () => {
		const ben = await pairPhone('Ben');
		const b = await openPhone(ben.token);
		await waitUpstreamLive(b);
		const global = await call('/relay/api/api/interrupt', { method: 'POST', bearer: ben.token, body: '{}' });
		expect(global.status).toBe(400);
		const stranger = await call('/relay/api/api/interrupt', { method: 'POST', body: JSON.stringify({ prompt_id: 'x' }) });
		expect(stranger.status).toBe(401);
		await new Promise((r) => setTimeout(r, 200));
		expect(b.texts.some((e) => e.t === 'run' && e.run.promptId === 'x')).toBe(false);
		b.close();
	});
});
