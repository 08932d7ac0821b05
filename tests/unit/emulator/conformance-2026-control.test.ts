// The 2026 profile against captures-2026 S4, S5 and S5b: client prompt ids (accepted, refused, minted, re-used),
// cancelling through the job API and the old /queue delete + /interrupt produce the recorded messages in the
// recorded order, and the job API and history then answer as recorded (ids, times and file counters aside).
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ApiPrompt } from '../../../src/lib/comfy/types';
import { startEmulator, type Emulator } from '../../../tools/comfy-emulator/server';
import { captured, httpCapture, normalizeJson, normalizeRun } from './support/captures';
import { Recorder, type Recorded } from './support/recorder';
import { A, B, post } from './support/scenario';

const SET = 'captures-2026';
let sut: Emulator;
let open: Recorder[] = [];

beforeAll(async () => {
	// Steps long enough that an HTTP round trip always lands inside the step it targets.
	sut = await startEmulator({ stepMs: 150, models: {}, profile: '2026' });
});

afterEach(async () => {
	for (const client of open) await client.close();
	open = [];
	// A failed scenario must not leave prompts running into the next one.
	await post(sut.url, '/queue', { clear: true });
	await post(sut.url, '/interrupt', {});
});

afterAll(async () => {
	await sut.close();
});

async function connect(clientId: string, flags?: Record<string, unknown>): Promise<Recorder> {
	const client = await Recorder.connect(sut.url, clientId, flags);
	if (flags) await client.waitFor((r) => r.kind === 'text' && r.msg.type === 'feature_flags');
	open.push(client);
	return client;
}

const request = (name: string) => httpCapture(name, SET).request as { method: string; path: string; json?: unknown; body?: string };
const response = (name: string) => httpCapture(name, SET).response;
const getJson = async (path: string) => (await fetch(`${sut.url}${path}`)).json();
const isProgress = (value: number) => (r: Recorded) => r.kind === 'text' && r.msg.type === 'progress' && r.msg.data.value === value;
const isType = (type: string) => (r: Recorded) => r.kind === 'text' && r.msg.type === type;

/** Replays a captured POST with `body` (its JSON with ids swapped in); returns status and JSON body. */
async function replay(name: string, body: unknown = request(name).json, path = request(name).path): Promise<{ status: number; json: unknown }> {
	const res = await post(sut.url, path, body);
	const text = await res.text();
	return { status: res.status, json: text ? JSON.parse(text) : null };
}

function sameAs(name: string, got: { status: number; json: unknown }): void {
	expect(got.status, name).toBe(response(name).status);
	expect(normalizeJson(got.json), name).toEqual(normalizeJson(response(name).json ?? null));
}

/** The index of `promptId`'s execution_start among the client's records (from `from`), once it has arrived. */
async function startOf(client: Recorder, promptId: string, from: number): Promise<number> {
	const isStart = (r: Recorded) => r.kind === 'text' && r.msg.type === 'execution_start' && r.msg.data.prompt_id === promptId;
	await client.waitFor(isStart, 10_000, from);
	return client.records.findIndex((r, i) => i >= from && isStart(r));
}

/** Waits for progress `value` of the current run, and its frame (type-4 frames come before the progress). */
async function afterStep(client: Recorder, value: number, from: number): Promise<void> {
	await client.waitFor(isProgress(value), 10_000, from);
}

describe('2026 profile: prompt ids and cancelling as recorded in captures-2026', () => {
	it('S4: only canonical lowercase UUIDs are accepted; null mints one; a re-used id runs again and replaces history', async () => {
		const a = await connect(A, { supports_preview_metadata: true });
		const file = 'S4-client-prompt-id-clientA-submitter-featureflags';
		const segment = (from: string, until?: string) => captured(file, from, SET, until);
		const done = async (id: string, from: number) => a.waitForDone(id, from);

		let from = a.records.length;
		const lower = request('prompt_id_client_lowercase_uuid').json as { prompt_id: string };
		sameAs('prompt_id_client_lowercase_uuid', await replay('prompt_id_client_lowercase_uuid'));
		await done(lower.prompt_id, from);
		expect(normalizeRun(a.records.slice(from))).toEqual(normalizeRun(segment('S4 POST', 'POST /prompt prompt_id=<UPPERCASE')));

		from = a.records.length;
		for (const name of ['uppercase_uuid', 'hex_no_hyphens', 'not_uuid', 'number']) sameAs(`prompt_id_client_${name}`, await replay(`prompt_id_client_${name}`));
		const minted = await replay('prompt_id_client_null');
		sameAs('prompt_id_client_null', minted);
		await done((minted.json as { prompt_id: string }).prompt_id, from);
		expect(normalizeRun(a.records.slice(from))).toEqual(normalizeRun(segment('POST /prompt prompt_id=<UPPERCASE', 'POST /prompt prompt_id=<the lowercase')));

		from = a.records.length;
		sameAs('prompt_id_client_duplicate', await replay('prompt_id_client_duplicate'));
		await done(lower.prompt_id, from);
		expect(normalizeRun(a.records.slice(from))).toEqual(normalizeRun(segment('POST /prompt prompt_id=<the lowercase', 'POST twice')));
		expect(normalizeJson(await getJson(`/history/${lower.prompt_id}`))).toEqual(normalizeJson(response('history_client_prompt_id_after_duplicate').json));
		expect(normalizeJson(await getJson(`/api/jobs/${lower.prompt_id}`))).toEqual(normalizeJson(response('jobs_detail_client_prompt_id_after_duplicate').json));

		from = a.records.length;
		const twice = (request('prompt_id_client_duplicate_running_1').json as { prompt_id: string }).prompt_id;
		sameAs('prompt_id_client_duplicate_running_1', await replay('prompt_id_client_duplicate_running_1'));
		sameAs('prompt_id_client_duplicate_running_2', await replay('prompt_id_client_duplicate_running_2'));
		await a.waitFor(isType('executing'), 10_000, from);
		expect(normalizeJson(await getJson('/api/jobs?status=pending,in_progress'))).toEqual(normalizeJson(response('jobs_list_duplicate_ids').json));
		expect(normalizeJson(await getJson('/queue'))).toEqual(normalizeJson(response('queue_duplicate_ids').json));
		const second = a.records.length;
		await done(twice, from);
		await a.waitFor(isType('execution_start'), 10_000, second);
		await done(twice, a.records.findIndex((r, i) => i >= second && isType('execution_start')(r)));
		expect(normalizeRun(a.records.slice(from), true)).toEqual(normalizeRun(segment('POST twice'), true));
		expect(normalizeJson(await getJson(`/history/${twice}`))).toEqual(normalizeJson(response('history_duplicate_running').json));
		expect(normalizeJson(await getJson(`/api/jobs/${twice}`))).toEqual(normalizeJson(response('jobs_detail_duplicate_running').json));
	});

	it('S5: the job API cancels a pending job (dequeued, gone) and running ones (interrupted → cancelled)', async () => {
		const a = await connect(A, { supports_preview_metadata: true });
		const b = await connect(B);
		const [fromA, fromB] = [a.records.length, b.records.length];
		const ids: string[] = [];
		const queue = async (name: string) => {
			const got = await replay(name);
			sameAs(name, got);
			ids.push((got.json as { prompt_id: string }).prompt_id);
		};
		await queue('prompt_post_queued_1');
		await a.waitFor(isType('executing'), 10_000, fromA);
		await queue('prompt_post_queued_2');
		await queue('prompt_post_queued_3');
		const [first, second, third] = ids;
		expect(normalizeJson(await getJson('/api/jobs?status=pending,in_progress'))).toEqual(normalizeJson(response('jobs_list_running_with_pending').json));
		expect(normalizeJson(await getJson(`/api/jobs/${third}`))).toEqual(normalizeJson(response('jobs_detail_pending').json));
		await afterStep(a, 3, fromA);
		sameAs('jobs_cancel_pending', await replay('jobs_cancel_pending', {}, `/api/jobs/${third}/cancel`));
		await afterStep(a, 5, fromA);
		sameAs('jobs_cancel_running', await replay('jobs_cancel_running', {}, `/api/jobs/${first}/cancel`));
		await a.waitForDone(first, fromA);
		const secondStart = await startOf(a, second, fromA);
		await a.waitFor(isType('executing'), 10_000, secondStart);
		sameAs('jobs_cancel_unknown', await replay('jobs_cancel_unknown', {}, `/api/jobs/${crypto.randomUUID()}/cancel`));
		sameAs('jobs_cancel_not_uuid', await replay('jobs_cancel_not_uuid', {}));
		sameAs('jobs_cancel_finished', await replay('jobs_cancel_finished', {}, `/api/jobs/${first}/cancel`));
		await afterStep(a, 2, secondStart);
		sameAs('jobs_cancel_batch', await replay('jobs_cancel_batch', { job_ids: [second, third, crypto.randomUUID()] }));
		await a.waitForDone(second, fromA);
		sameAs('jobs_cancel_batch_invalid_ids', await replay('jobs_cancel_batch_invalid_ids'));
		sameAs('jobs_cancel_batch_not_list', await replay('jobs_cancel_batch_not_list'));
		sameAs('jobs_cancel_batch_all_noop', await replay('jobs_cancel_batch_all_noop', { job_ids: [first] }));
		const malformed = await fetch(`${sut.url}/api/jobs/cancel`, { method: 'POST', body: '{not json' });
		sameAs('jobs_cancel_batch_malformed_json', { status: malformed.status, json: await malformed.json() });
		await new Promise((resolve) => setTimeout(resolve, 30));

		expect(normalizeRun(a.records.slice(fromA), true)).toEqual(normalizeRun(captured('S5-cancel-jobs-api-clientA-submitter-featureflags', undefined, SET), true));
		expect(normalizeRun(b.records.slice(fromB))).toEqual(normalizeRun(captured('S5-cancel-jobs-api-clientB-other-clientId', undefined, SET)));
		for (const [i, id] of [first, second, third].entries()) {
			const detail = await fetch(`${sut.url}/api/jobs/${id}`);
			expect(detail.status).toBe(response(`jobs_detail_cancelled_${i + 1}`).status);
			expect(normalizeJson(await detail.json())).toEqual(normalizeJson(response(`jobs_detail_cancelled_${i + 1}`).json));
			expect(normalizeJson(await getJson(`/history/${id}`))).toEqual(normalizeJson(response(`history_cancelled_${i + 1}`).json));
		}
		const cancelled = (await getJson('/api/jobs?status=cancelled')) as { jobs: { id: string }[] };
		expect(cancelled.jobs.map((j) => j.id)).toEqual([second, first]);
	});

	it('S5b: /queue delete, /interrupt of a pending id (no-op), of the running id, then a global interrupt', async () => {
		const a = await connect(A, { supports_preview_metadata: true });
		const from = a.records.length;
		const ids: string[] = [];
		for (const n of [1, 2, 3]) {
			ids.push(((await replay(`prompt_post_queued_b${n}`)).json as { prompt_id: string }).prompt_id);
			if (n === 1) await a.waitFor(isType('executing'), 10_000, from);
		}
		const [first, second, third] = ids;
		await afterStep(a, 3, from);
		sameAs('queue_delete', await replay('queue_delete', { delete: [third] }));
		await afterStep(a, 5, from);
		sameAs('interrupt_targeted_not_running', await replay('interrupt_targeted_not_running', { prompt_id: second }));
		await afterStep(a, 9, from);
		sameAs('interrupt_targeted_running', await replay('interrupt_targeted_running', { prompt_id: first }));
		await a.waitForDone(first, from);
		await afterStep(a, 2, await startOf(a, second, from));
		sameAs('interrupt_global', await replay('interrupt_global', {}));
		await a.waitForDone(second, from);
		expect(normalizeRun(a.records.slice(from), true)).toEqual(normalizeRun(captured('S5b-interrupt-queue-delete-clientA-submitter-featureflags', undefined, SET), true));
		for (const [i, id] of [first, second, third].entries()) {
			const name = `jobs_detail_interrupt_${i + 1}`;
			const detail = await fetch(`${sut.url}/api/jobs/${id}`);
			expect(detail.status, name).toBe(response(name).status);
			expect(normalizeJson(await detail.json()), name).toEqual(normalizeJson(response(name).json));
		}
	});
});
