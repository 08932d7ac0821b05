// The job API client and the Stop path against the emulator of both generations: on the 2026 profile the client
// finds the job API, lists/filters/pages, reads a job (cancelled told apart from failed) and cancels by id; on
// 0.3.64 it finds none and Stop falls back to /queue delete + /interrupt {prompt_id}.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cancelPrompts } from '../../../src/lib/comfy/cancel';
import { ComfyError } from '../../../src/lib/comfy/errors';
import { ComfyApi } from '../../../src/lib/comfy/http';
import { randomId } from '../../../src/lib/comfy/ids';
import { CANONICAL_UUID } from '../../../src/lib/comfy/job-types';
import type { ApiPrompt } from '../../../src/lib/comfy/types';
import { PROFILES } from '../../../tools/comfy-emulator/profile';
import { startEmulator, type Emulator } from '../../../tools/comfy-emulator/server';
import { Recorder } from '../emulator/support/recorder';
import { slowNoise } from '../emulator/support/scenario';

const CLIENT = 'jobs-api-test';

function failing(seed: number): ApiPrompt {
	const prompt = slowNoise(1, 'jobs', { seed });
	prompt['3'] = { class_type: 'ProbeFail', inputs: { image: ['1', 0], message: 'on purpose' } };
	prompt['2'].inputs.images = ['3', 0];
	return prompt;
}

describe.each(PROFILES)('profile %s', (profile) => {
	let sut: Emulator;
	let api: ComfyApi;
	let client: Recorder;
	const modern = profile === '2026';

	beforeAll(async () => {
		sut = await startEmulator({ stepMs: 40, profile });
		api = new ComfyApi({ baseUrl: sut.url });
		client = await Recorder.connect(sut.url, CLIENT);
	});

	afterAll(async () => {
		await client.close();
		await sut.close();
	});

	const queue = async (prompt: ApiPrompt, extra?: Record<string, unknown>) =>
		(await api.queuePrompt({ prompt, clientId: CLIENT, extraData: extra })).prompt_id;
	const started = (id: string) => client.waitFor((r) => r.kind === 'text' && r.msg.type === 'progress' && r.msg.data.prompt_id === id);

	it(`${modern ? 'finds' : 'does not find'} the job API, and asks the server only once`, async () => {
		expect(await api.jobs.available()).toBe(modern);
		expect(await api.jobs.available()).toBe(modern);
		expect(sut.requests().filter((r) => r.startsWith('GET /api/jobs'))).toHaveLength(1);
	});

	it('queues with a canonical lowercase UUID the server keeps', async () => {
		const id = randomId();
		expect(id).toMatch(CANONICAL_UUID);
		const reply = await api.queuePrompt({ prompt: slowNoise(1, 'jobs', { seed: 1 }), clientId: CLIENT, promptId: id });
		expect(reply.prompt_id).toBe(id);
		await client.waitForDone(id);
	});

	it('Stop cancels a pending and a running prompt by id, each the way the server supports', async () => {
		const running = await queue(slowNoise(50, 'jobs', { seed: 2 }));
		const pending = await queue(slowNoise(50, 'jobs', { seed: 3 }));
		await started(running);
		const before = sut.requests().length;
		const outcome = await cancelPrompts(api, running, [pending]);
		await client.waitForDone(running);
		expect(outcome).toEqual({ route: modern ? 'job-api' : 'queue-and-interrupt', failures: [] });
		const sent = sut.requests().slice(before);
		expect(sent).toEqual(
			modern ? [`POST /api/jobs/${pending}/cancel`, `POST /api/jobs/${running}/cancel`] : ['POST /api/queue', 'POST /api/interrupt']
		);
		expect((await api.getQueue()).queue_pending).toEqual([]);
		const entry = await api.getHistory(running);
		expect(entry?.status.messages.map((m) => m[0])).toContain('execution_interrupted');
		if (modern) {
			expect((await api.jobs.get(running))?.status).toBe('cancelled');
			expect(await api.jobs.get(pending)).toBeNull();
		}
	});

	it('a failure to reach the server is reported, not swallowed', async () => {
		const gone = new ComfyApi({ baseUrl: 'http://127.0.0.1:9', timeoutMs: 2000 });
		const outcome = await cancelPrompts(gone, randomId(), []);
		expect(outcome.failures).toHaveLength(1);
		expect(outcome.failures[0]).toBeInstanceOf(ComfyError);
		expect(outcome.failures[0].kind).toBe('network');
	});

	it.runIf(modern)('lists with status filters, workflow_id, paging and sort, and tells cancelled from failed', async () => {
		const ok = await queue(slowNoise(1, 'jobs', { seed: 4 }), { extra_pnginfo: { workflow: { id: 'wf-jobs', nodes: [] } } });
		await client.waitForDone(ok);
		const bad = await queue(failing(5));
		await client.waitForDone(bad);
		expect((await api.jobs.get(bad))?.status).toBe('failed');
		expect((await api.jobs.get(bad))?.execution_error?.exception_message).toBe('on purpose\n');
		const detail = await api.jobs.get(ok);
		expect(detail).toMatchObject({ id: ok, status: 'completed', workflow_id: 'wf-jobs', outputs_count: 1 });
		expect(detail?.workflow?.extra_data.create_time).toEqual(expect.any(Number));
		expect(detail?.preview_output).toMatchObject({ mediaType: 'images', nodeId: '2', type: 'output' });

		const all = await api.jobs.list();
		expect(all.jobs[0].id).toBe(bad);
		expect(all.pagination).toMatchObject({ offset: 0, limit: null, total: all.jobs.length, has_more: false });
		expect((await api.jobs.list({ workflowId: 'wf-jobs' })).jobs.map((j) => j.id)).toEqual([ok]);
		expect((await api.jobs.list({ status: ['failed'] })).jobs.map((j) => j.id)).toEqual([bad]);
		expect((await api.jobs.list({ status: ['cancelled'] })).jobs).toHaveLength(1);
		const page = await api.jobs.list({ limit: 1, offset: 1 });
		expect(page.jobs.map((j) => j.id)).toEqual([ok]);
		expect(page.pagination).toMatchObject({ offset: 1, limit: 1, has_more: true });
		const oldest = await api.jobs.list({ sortOrder: 'asc', limit: 1 });
		expect(oldest.jobs[0].id).toBe(all.jobs.at(-1)!.id);
		expect((await api.jobs.list({ sortBy: 'execution_duration' })).jobs).toHaveLength(all.jobs.length);
		await expect(api.jobs.list({ limit: 0 })).rejects.toThrow(/limit must be an integer ≥ 1/);
	});

	it.runIf(modern)('cancelMany cancels in one request and refuses malformed ids before sending', async () => {
		const a = await queue(slowNoise(50, 'jobs', { seed: 6 }));
		const b = await queue(slowNoise(50, 'jobs', { seed: 7 }));
		await started(a);
		expect(await api.jobs.cancelMany([b, a])).toBe(true);
		await client.waitForDone(a);
		expect(await api.jobs.cancelMany([a, b])).toBe(false);
		const before = sut.requests().length;
		await expect(api.jobs.cancelMany([a, a.toUpperCase()])).rejects.toThrow(/Not job ids/);
		expect(sut.requests().length).toBe(before);
		expect(await api.jobs.cancel(a)).toBe(false);
	});

	it.runIf(modern)('a client prompt_id that is not a canonical UUID is refused with invalid_prompt_id', async () => {
		const error = await api.queuePrompt({ prompt: slowNoise(1, 'jobs'), clientId: CLIENT, promptId: randomId().toUpperCase() }).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(ComfyError);
		expect((error as ComfyError).kind).toBe('rejected');
		expect((error as ComfyError).error?.type).toBe('invalid_prompt_id');
	});
});
