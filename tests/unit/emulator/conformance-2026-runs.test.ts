// The 2026 profile against captures-2026 S1, S2, S1b, S2b, S6 (runtime part), S6b, S7 and S9: the emulator, driven like the capture
// session (same prompts, clients and order), sends the same messages in the same order with the same fields to
// every client, and its job API and history answer like the recorded ones (ids, times and file counters aside).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiPrompt } from '../../../src/lib/comfy/types';
import { startEmulator, type Emulator } from '../../../tools/comfy-emulator/server';
import { captured, httpCapture, normalizeJson, normalizeRun } from './support/captures';
import { Recorder } from './support/recorder';
import { A, B, queuePrompt, sleep } from './support/scenario';

const SET = 'captures-2026';
const FLAGS = { supports_preview_metadata: true };
let sut: Emulator;
const clients: Record<'A' | 'B' | 'D', Recorder> = {} as never;

beforeAll(async () => {
	sut = await startEmulator({ stepMs: 15, models: {}, profile: '2026' });
	clients.A = await Recorder.connect(sut.url, A, FLAGS);
	await clients.A.waitFor((r) => r.kind === 'text' && r.msg.type === 'feature_flags');
	clients.B = await Recorder.connect(sut.url, B);
	clients.D = await Recorder.connect(sut.url);
});

afterAll(async () => {
	for (const client of Object.values(clients)) await client.close();
	await sut.close();
});

const capturedPrompt = (name: string) => (httpCapture(name, SET).request.json as { prompt: ApiPrompt }).prompt;
const capturedJson = (name: string) => httpCapture(name, SET).response.json;
const getJson = async (path: string) => (await fetch(`${sut.url}${path}`)).json();

/** Runs a prompt for `clientId` and returns what every client received meanwhile. */
async function runFor(submitter: Recorder, prompt: ApiPrompt, clientId: string, during?: (id: string) => Promise<void>) {
	const from = { A: clients.A.records.length, B: clients.B.records.length, D: clients.D.records.length };
	const promptId = await queuePrompt(sut.url, prompt, clientId);
	await during?.(promptId);
	const key = (Object.keys(clients) as (keyof typeof clients)[]).find((k) => clients[k] === submitter)!;
	await submitter.waitForDone(promptId, from[key]);
	await sleep(30);
	return { promptId, A: clients.A.records.slice(from.A), B: clients.B.records.slice(from.B), D: clients.D.records.slice(from.D) };
}

describe('2026 profile: runs as recorded in captures-2026', () => {
	it('S1: A (metadata flag) gets the whole sequence with type-4 frames; B and D only the status broadcasts', async () => {
		const handshakes = { A: clients.A.records.slice(), B: clients.B.records.slice(), D: clients.D.records.slice() };
		const during: Record<string, unknown> = {};
		const run = await runFor(clients.A, capturedPrompt('prompt_post_success'), A, async (id) => {
			await clients.A.waitFor((r) => r.kind === 'text' && r.msg.type === 'progress');
			for (const [name, path] of [
				['queue_running', '/queue'],
				['jobs_list_running', '/api/jobs'],
				['jobs_list_status_in_progress', '/api/jobs?status=in_progress'],
				['jobs_detail_running', `/api/jobs/${id}`],
				['history_by_id_running', `/history/${id}`]
			]) {
				during[name] = await getJson(path);
			}
		});
		expect(normalizeJson([...handshakes.A, ...run.A])).toEqual(normalizeJson(captured('S1-basic-clientA-submitter-featureflags', undefined, SET)));
		expect(normalizeJson([...handshakes.B, ...run.B])).toEqual(normalizeJson(captured('S1-basic-clientB-other-clientId', undefined, SET)));
		expect(normalizeJson([...handshakes.D, ...run.D])).toEqual(normalizeJson(captured('S1-basic-clientD-no-clientId', undefined, SET)));
		for (const [name, body] of Object.entries(during)) expect(normalizeJson(body), name).toEqual(normalizeJson(capturedJson(name)));
		expect(normalizeJson(await getJson(`/history/${run.promptId}`))).toEqual(normalizeJson(capturedJson('history_by_id')));
		expect(normalizeJson(await getJson(`/api/jobs/${run.promptId}`))).toEqual(normalizeJson(capturedJson('jobs_detail_completed')));
	});

	it('S2: the same prompt straight after is entirely cached; its job detail says so', async () => {
		const run = await runFor(clients.A, capturedPrompt('prompt_post_cached'), A);
		expect(normalizeJson(run.A)).toEqual(normalizeJson(captured('S2-cached-rerun-clientA-submitter-featureflags', undefined, SET)));
		expect(normalizeJson(await getJson(`/history/${run.promptId}`))).toEqual(normalizeJson(capturedJson('history_cached')));
		expect(normalizeJson(await getJson(`/api/jobs/${run.promptId}`))).toEqual(normalizeJson(capturedJson('jobs_detail_cached')));
	});

	it('S1b: a legacy client (no flags) gets type-1 frames after each progress; A sees only status', async () => {
		const run = await runFor(clients.B, capturedPrompt('prompt_post_legacy_client'), B);
		expect(normalizeJson(run.B)).toEqual(normalizeJson(captured('S1b-legacy-submitter-clientB-other-clientId', undefined, SET)));
		expect(normalizeJson(run.A)).toEqual(normalizeJson(captured('S1b-legacy-submitter-clientA-submitter-featureflags', undefined, SET)));
	});

	it('S2b: the S1 prompt after another prompt ran is not cached any more and runs all its steps again', async () => {
		const run = await runFor(clients.A, capturedPrompt('prompt_post_rerun_after_other'), A);
		expect(normalizeJson(run.A)).toEqual(normalizeJson(captured('S2b-rerun-after-other-prompt-clientA-submitter-featureflags', undefined, SET)));
	});

	it('S6: an unknown dynamic-combo key and the combo as one object are accepted, then fail with a TypeError', async () => {
		const from = clients.A.records.length;
		await queuePrompt(sut.url, capturedPrompt('prompt_invalid_dynamic_combo_unknown_key'), A);
		const second = await queuePrompt(sut.url, capturedPrompt('prompt_invalid_dynamic_combo_nested_object'), A);
		await clients.A.waitForDone(second, from);
		const recorded = captured('S6-invalid-prompts-clientA-submitter-featureflags', undefined, SET);
		expect(normalizeRun(clients.A.records.slice(from), true)).toEqual(normalizeRun(recorded, true));
	});

	it('S6b: a dynamic combo with its dotted sub-inputs validates and runs', async () => {
		const run = await runFor(clients.A, capturedPrompt('prompt_post_dynamic_combo_ok'), A);
		expect(normalizeJson(run.A)).toEqual(normalizeJson(captured('S6b-dynamic-combo-ok-clientA-submitter-featureflags', undefined, SET)));
		expect(normalizeJson(await getJson(`/history/${run.promptId}`))).toEqual(normalizeJson(capturedJson('history_dynamic_combo_ok')));
	});

	it('S7: a raising node ends in execution_error; the job is failed with its execution_error', async () => {
		const run = await runFor(clients.A, capturedPrompt('prompt_post_runtime_error'), A);
		expect(normalizeJson(run.A)).toEqual(normalizeJson(captured('S7-runtime-error-clientA-submitter-featureflags', undefined, SET)));
		expect(normalizeJson(await getJson(`/history/${run.promptId}`))).toEqual(normalizeJson(capturedJson('history_runtime_error')));
		expect(normalizeJson(await getJson(`/api/jobs/${run.promptId}`))).toEqual(normalizeJson(capturedJson('jobs_detail_runtime_error')));
	});

	it('S9: GetImageSize broadcasts a text frame to every client; the job preview is the PreviewAny text', async () => {
		const run = await runFor(clients.A, capturedPrompt('prompt_post_getimagesize'), A);
		expect(normalizeJson(run.A)).toEqual(normalizeJson(captured('S9-progress-text-clientA-submitter-featureflags', undefined, SET)));
		expect(normalizeJson(run.B)).toEqual(normalizeJson(captured('S9-progress-text-clientB-other-clientId', undefined, SET)));
		expect(normalizeJson(await getJson(`/history/${run.promptId}`))).toEqual(normalizeJson(capturedJson('history_previewany_text')));
		expect(normalizeJson(await getJson(`/api/jobs/${run.promptId}`))).toEqual(normalizeJson(capturedJson('jobs_detail_previewany_text')));
	});
});
