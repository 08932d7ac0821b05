// Reading a finished prompt's outcome after a gap, on both emulator generations: /api/jobs/{id} where the server
// has the job API, /history/{id} otherwise; the JobTracker's reconcile uses it and settles interrupted vs failed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ComfyApi } from '../../../src/lib/comfy/http';
import { readOutcome } from '../../../src/lib/comfy/job-outcome';
import { JobTracker } from '../../../src/lib/comfy/jobs';
import { randomId } from '../../../src/lib/comfy/ids';
import type { ApiPrompt } from '../../../src/lib/comfy/types';
import { PROFILES } from '../../../tools/comfy-emulator/profile';
import { startEmulator, type Emulator } from '../../../tools/comfy-emulator/server';
import { Recorder } from '../emulator/support/recorder';
import { slowNoise } from '../emulator/support/scenario';

const CLIENT = 'outcome-test';

describe.each(PROFILES)('profile %s', (profile) => {
	let sut: Emulator;
	let api: ComfyApi;
	let client: Recorder;
	const path = profile === '2026' ? '/api/jobs/' : '/api/history/';

	beforeAll(async () => {
		sut = await startEmulator({ stepMs: 30, profile });
		api = new ComfyApi({ baseUrl: sut.url });
		client = await Recorder.connect(sut.url, CLIENT);
	});

	afterAll(async () => {
		await client.close();
		await sut.close();
	});

	const run = async (prompt: ApiPrompt) => {
		const id = (await api.queuePrompt({ prompt, clientId: CLIENT })).prompt_id;
		await client.waitForDone(id);
		return id;
	};

	it('succeeded with the outputs, failed with the node error, interrupted for a stopped run, null when unknown', async () => {
		const ok = await run(slowNoise(1, 'outcome', { seed: 1 }));
		const failing = slowNoise(1, 'outcome', { seed: 2 });
		failing['3'] = { class_type: 'ProbeFail', inputs: { image: ['1', 0], message: 'broken on purpose' } };
		failing['2'].inputs.images = ['3', 0];
		const bad = await run(failing);
		const long = (await api.queuePrompt({ prompt: slowNoise(40, 'outcome', { seed: 3 }), clientId: CLIENT })).prompt_id;
		await client.waitFor((r) => r.kind === 'text' && r.msg.type === 'progress' && r.msg.data.prompt_id === long);
		expect(await readOutcome(api, long)).toBeNull();
		await api.interrupt(long);
		await client.waitForDone(long);
		const before = sut.requests().length;

		expect(await readOutcome(api, ok)).toMatchObject({ status: 'succeeded', outputs: { '2': { images: [{ type: 'output' }] } } });
		expect(await readOutcome(api, bad)).toMatchObject({ status: 'failed', error: { message: 'broken on purpose', nodeType: 'ProbeFail' } });
		expect(await readOutcome(api, long)).toMatchObject({ status: 'interrupted' });
		expect((await readOutcome(api, long))?.error).toBeUndefined();
		expect(await readOutcome(api, randomId())).toBeNull();
		const reads = sut.requests().slice(before).filter((r) => !r.startsWith('GET /api/jobs?'));
		expect(reads.every((r) => r.startsWith(`GET ${path}`))).toBe(true);
	});

	it('reconcile after a gap settles a job the socket never reported, from the server', async () => {
		const tracker = new JobTracker({ api });
		const id = await run(slowNoise(1, 'outcome', { seed: 4 }));
		tracker.track(id);
		await tracker.reconcile();
		expect(tracker.get(id)).toMatchObject({ status: 'succeeded' });
		expect(sut.requests()).toContain(`GET ${path}${id}`);
	});
});
