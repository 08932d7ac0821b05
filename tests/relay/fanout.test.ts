import { describe, expect, it } from 'vitest';
import { decodeFrame } from '../../src/lib/comfy/frames';
import { env, runInDurableObject } from 'cloudflare:test';
import { CLOSE_TOO_SLOW, PREVIEW_WINDOW } from '../../src/lib/relay/protocol';
import { cutTunnel, finished, queueRun, sawProgress, waitUpstreamLive } from './runs';
import { openPhone, pairPhone, type TestPhone } from './support';

const seqs = (phone: TestPhone) => phone.texts.filter((e) => e.t !== 'hello').map((e) => e.seq);
const binaries = (phone: TestPhone) => phone.frames.flatMap((f) => (f.kind === 'binary' ? [f.bytes] : []));

describe('fan-out of one run to several phones', () => {
	it('gives every phone identical, ordered events and byte-identical preview frames', async () => {
		const { token } = await pairPhone();
		const phones = await Promise.all([openPhone(token), openPhone(token), openPhone((await pairPhone()).token)]);
		await Promise.all(phones.map(waitUpstreamLive));
		const start = phones.map((p) => p.frames.length);
		const promptId = await queueRun(token, { steps: 5, delayMs: 60 });
		await Promise.all(phones.map((p) => p.waitFor((q) => finished(q, promptId))));

		const runFrames = phones.map((p, i) => p.frames.slice(start[i]));
		const texts = runFrames.map((frames) => frames.flatMap((f) => (f.kind === 'text' ? [JSON.stringify(f.envelope)] : [])));
		expect(texts[1]).toEqual(texts[0]);
		expect(texts[2]).toEqual(texts[0]);
		const types = phones[0].comfyTypes;
		for (const type of ['execution_start', 'executing', 'progress', 'executed', 'execution_success']) expect(types).toContain(type);

		for (const phone of phones) {
			const s = seqs(phone);
			expect(s).toEqual([...s].sort((a, b) => a - b));
			expect(new Set(s).size).toBe(s.length);
		}
		const previews = binaries(phones[0]);
		expect(previews.length).toBeGreaterThan(0);
		for (const frame of previews) {
			const decoded = decodeFrame(frame);
			expect(decoded?.type === 'preview' && decoded.meta?.prompt_id).toBe(promptId);
		}
		expect(binaries(phones[1])).toEqual(previews);
		expect(binaries(phones[2])).toEqual(previews);
		// Binary frames take seqs implicitly: the phone's count lands on the last text envelope's seq.
		expect(phones[0].lastSeq).toBe(phones[0].texts.at(-1)?.seq);
		phones.forEach((p) => p.close());
	});

	it('drops previews, and only previews, for a phone that does not keep up', async () => {
		const { token } = await pairPhone();
		const fast = await openPhone(token);
		const stalled = await openPhone(token, { ackPreviews: false });
		await Promise.all([waitUpstreamLive(fast), waitUpstreamLive(stalled)]);
		const start = [fast.frames.length, stalled.frames.length];
		const steps = PREVIEW_WINDOW * 2;
		const promptId = await queueRun(token, { steps, delayMs: 40 });
		await Promise.all([fast, stalled].map((p) => p.waitFor((q) => finished(q, promptId))));
		const texts = (p: TestPhone, from: number) => p.frames.slice(from).flatMap((f) => (f.kind === 'text' ? [JSON.stringify(f.envelope)] : []));
		expect(texts(stalled, start[1])).toEqual(texts(fast, start[0]));
		expect(binaries(stalled).length).toBe(PREVIEW_WINDOW);
		expect(binaries(fast).length).toBeGreaterThan(PREVIEW_WINDOW);
		[fast, stalled].forEach((p) => p.close());
	});

	it('closes a phone that stopped reading altogether, so it reconnects and resumes instead of piling up', async () => {
		const relay = env.RELAY.get(env.RELAY.idFromName(env.COMFY_URL));
		await runInDurableObject(relay, (r) => {
			r.hub.stallCloseMs = 150;
		});
		try {
			const { token } = await pairPhone();
			const reading = await openPhone(token);
			const frozen = await openPhone(token, { ackPreviews: false });
			await Promise.all([waitUpstreamLive(reading), waitUpstreamLive(frozen)]);
			const promptId = await queueRun(token, { steps: PREVIEW_WINDOW * 3, delayMs: 40 });
			await reading.waitFor((p) => finished(p, promptId));
			await frozen.waitFor((p) => p.closed !== null);
			expect(frozen.closed?.code).toBe(CLOSE_TOO_SLOW);
			expect(reading.closed).toBeNull();
			reading.close();
		} finally {
			await runInDurableObject(relay, (r) => {
				r.hub.stallCloseMs = 30_000;
			});
		}
	});

	it('gives a phone that joins mid-run a snapshot of the running prompt, then the result', async () => {
		const { token } = await pairPhone();
		const first = await openPhone(token);
		await waitUpstreamLive(first);
		const promptId = await queueRun(token, { steps: 12, delayMs: 80 });
		await first.waitFor((p) => sawProgress(p, promptId));
		const late = await openPhone(token);
		await late.waitFor((p) => p.texts.length > 0);
		const hello = late.texts[0];
		expect(hello.t).toBe('hello');
		if (hello.t !== 'hello') return;
		expect(hello.resumed).toBe(false);
		expect(hello.snapshot?.running?.promptId).toBe(promptId);
		expect(hello.snapshot?.running?.progress?.max).toBe(12);
		expect(hello.snapshot?.lastPreview?.frame.length).toBeGreaterThan(0);
		await late.waitFor((p) => finished(p, promptId));

		const afterwards = await openPhone(token);
		await afterwards.waitFor((p) => p.texts.length > 0);
		const done = afterwards.texts[0];
		expect(done.t === 'hello' && done.snapshot?.recentResults.find((r) => r.promptId === promptId)).toMatchObject({
			status: 'succeeded',
			outputs: { '2': { images: [expect.objectContaining({ type: 'output' })] } }
		});
		[first, late, afterwards].forEach((p) => p.close());
	});
});

describe('recovery', () => {
	it('resumes a phone that dropped mid-run from its last seq, missing no event', async () => {
		const { token } = await pairPhone();
		const steady = await openPhone(token);
		const flaky = await openPhone(token);
		await Promise.all([waitUpstreamLive(steady), waitUpstreamLive(flaky)]);
		const promptId = await queueRun(token, { steps: 10, delayMs: 80 });
		await flaky.waitFor((p) => sawProgress(p, promptId));
		const hello = flaky.texts[0];
		const since = flaky.lastSeq;
		flaky.close();
		await new Promise((r) => setTimeout(r, 300));
		const back = await openPhone(token, { since, epoch: hello.t === 'hello' ? hello.epoch : '' });
		await Promise.all([steady.waitFor((p) => finished(p, promptId)), back.waitFor((p) => finished(p, promptId))]);
		const lastSeen = back.texts.at(-1)?.seq ?? 0;
		const resumed = back.texts[0];
		expect(resumed.t === 'hello' && resumed.resumed).toBe(true);

		const seen = new Set([...flaky.texts, ...back.texts].filter((e) => e.t !== 'hello').map((e) => e.seq));
		const missed = steady.texts.filter((e) => e.t !== 'hello' && e.seq > (hello.t === 'hello' ? hello.seq : 0) && e.seq <= lastSeen && !seen.has(e.seq));
		expect(lastSeen).toBeGreaterThan(since);
		expect(missed).toEqual([]);
		[steady, back].forEach((p) => p.close());
	});

	it('gives a phone from another relay lifetime (unknown epoch) a snapshot instead of a replay', async () => {
		const { token } = await pairPhone();
		const phone = await openPhone(token, { since: 3, epoch: 'an-old-epoch' });
		await phone.waitFor((p) => p.texts.length > 0);
		const hello = phone.texts[0];
		expect(hello.t === 'hello' && hello.resumed).toBe(false);
		expect(hello.t === 'hello' && hello.snapshot).toBeTruthy();
		phone.close();
	});

	it('still delivers the result to every phone when the upstream dies mid-run (reconciled from history)', async () => {
		const { token } = await pairPhone();
		const phones = [await openPhone(token), await openPhone(token)];
		await Promise.all(phones.map(waitUpstreamLive));
		const promptId = await queueRun(token, { steps: 8, delayMs: 60 });
		await phones[0].waitFor((p) => sawProgress(p, promptId));
		// The tunnel stays down past the end of the run, so the outcome can only come from /history.
		await cutTunnel(1500);
		const rebuiltEnd = (p: TestPhone) => p.texts.some((e) => e.t === 'comfy' && e.from === 'history' && (e.m as { type: string }).type === 'executing');
		await Promise.all(phones.map((p) => p.waitFor(rebuiltEnd, 20_000)));
		expect(phones.every((p) => finished(p, promptId))).toBe(true);
		for (const phone of phones) {
			const rebuilt = phone.texts.filter((e) => e.t === 'comfy' && e.from === 'history');
			expect(rebuilt.map((e) => (e.t === 'comfy' ? (e.m as { type: string }).type : ''))).toEqual(['executed', 'execution_success', 'executing']);
			const states = phone.texts.flatMap((e) => (e.t === 'upstream' ? [e.state.status] : []));
			expect(states).toContain('backoff');
			expect(states.at(-1)).toBe('live');
		}
		phones.forEach((p) => p.close());
	});
});
