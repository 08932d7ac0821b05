// The 2026 profile against captures-2026 S0, S3, S6 and S8: static GETs, the job list's filters, paging, sorting
// and 400s, the 400 bodies of invalid prompts (missing_node_type, dotted dynamic-combo keys) and uploads/views.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobPage } from '../../../src/lib/comfy/job-types';
import type { ApiPrompt } from '../../../src/lib/comfy/types';
import { encodePng } from '../../../tools/comfy-emulator/png';
import { startEmulator, type Emulator } from '../../../tools/comfy-emulator/server';
import { httpCapture, normalizeJson } from './support/captures';
import { Recorder } from './support/recorder';
import { A, post, queuePrompt, slowNoise } from './support/scenario';

const SET = 'captures-2026';
let sut: Emulator;
const capture = (name: string) => httpCapture(name, SET);

beforeAll(async () => {
	sut = await startEmulator({ stepMs: 5, models: {}, profile: '2026' });
});

afterAll(async () => {
	await sut.close();
});

async function get(path: string): Promise<{ status: number; body: unknown; headers: Headers }> {
	const res = await fetch(`${sut.url}${path}`);
	const text = await res.text();
	return { status: res.status, body: text ? JSON.parse(text) : null, headers: res.headers };
}

function withoutTracebacks(value: unknown): unknown {
	return JSON.parse(JSON.stringify(value), (key, v) => (key === 'traceback' ? 'TRACEBACK' : v));
}

describe('2026 S0: static GETs', () => {
	it('features, queue, prompt, history, empty jobs, models and embeddings equal the captured bodies', async () => {
		for (const [path, name] of [
			['/features', 'features'],
			['/api/features', 'features'],
			['/queue', 'queue_idle'],
			['/prompt', 'prompt_get'],
			['/history', 'history_empty'],
			['/api/jobs', 'jobs_empty'],
			['/models', 'models'],
			['/embeddings', 'embeddings']
		]) {
			const got = await get(path);
			expect(got.status, path).toBe(200);
			expect(got.body, path).toEqual(capture(name).response.json);
		}
	});

	it('the feature_flags reply carries the whole feature object', async () => {
		const client = await Recorder.connect(sut.url, A, { supports_preview_metadata: true });
		await client.waitFor((r) => r.kind === 'text' && r.msg.type === 'feature_flags');
		expect(client.texts('feature_flags')[0].data).toEqual(capture('features').response.json);
		await client.close();
	});

	it('system_stats has the new keys (package versions, deploy_environment) under /X and /api/X', async () => {
		const captured = capture('system_stats').response.json as { system: Record<string, unknown>; devices: object[] };
		for (const path of ['/system_stats', '/api/system_stats']) {
			const got = (await get(path)).body as { system: Record<string, unknown>; devices: object[] };
			expect(Object.keys(got.system).sort(), path).toEqual(Object.keys(captured.system).sort());
			expect(Object.keys(got.devices[0]).sort(), path).toEqual(Object.keys(captured.devices[0]).sort());
			expect((got.system.comfy_package_versions as { name: string }[]).map((p) => p.name)).toEqual(
				(captured.system.comfy_package_versions as { name: string }[]).map((p) => p.name)
			);
		}
	});

	it('object_info of single classes equals the captured entries (SaveImage has an output, V3 types)', async () => {
		for (const cls of ['SaveImage', 'PreviewImage', 'KSampler', 'SlowNoiseImage', 'CheckpointLoaderSimple', 'ResizeImageMaskNode', 'BatchImagesNode', 'ComfySwitchNode', 'TextGenerate']) {
			expect((await get(`/object_info/${cls}`)).body, cls).toEqual(capture(`object_info_${cls}`).response.json);
		}
		expect((await get('/object_info/NoSuchNode')).body).toEqual(capture('object_info_Unknown').response.json);
	});

	it('the full object_info has exactly the 889 classes of the captured summary', async () => {
		const all = (await get('/object_info')).body as Record<string, unknown>;
		const summary = capture('object_info_summary') as unknown as { node_names: string[] };
		expect(Object.keys(all).sort()).toEqual([...summary.node_names].sort());
		expect(Object.keys(all)).toHaveLength(889);
	});

	it('/api/assets and /api/tags answer 503 SERVICE_DISABLED; /assets without the prefix and /jobs are 404', async () => {
		for (const [path, name] of [['/api/assets', 'assets_list'], ['/api/tags', 'assets_tags']]) {
			const got = await get(path);
			expect(got.status, path).toBe(503);
			expect(got.body, path).toEqual(capture(name).response.json);
		}
		expect((await fetch(`${sut.url}/assets`)).status).toBe(capture('assets_list_no_api_prefix').response.status);
		expect((await fetch(`${sut.url}/jobs`)).status).toBe(404);
	});
});

describe('2026 S3: the job list', () => {
	const ids: string[] = [];

	beforeAll(async () => {
		const client = await Recorder.connect(sut.url, A);
		for (const seed of [31, 32, 33]) {
			const id = await queuePrompt(sut.url, slowNoise(seed - 29, 'probe', { seed }), A);
			await client.waitForDone(id);
			ids.push(id);
		}
		const failing: ApiPrompt = { ...slowNoise(1, 'probe', { seed: 34 }), '3': { class_type: 'ProbeFail', inputs: { image: ['1', 0], message: 'no' } } };
		failing['2'].inputs.images = ['3', 0];
		const failed = await queuePrompt(sut.url, failing, A);
		await client.waitForDone(failed);
		ids.push(failed);
		await client.close();
	});

	const page = async (query: string) => (await get(`/api/jobs${query}`)).body as JobPage;

	it('lists newest first with the captured item fields and pagination shape', async () => {
		const all = await page('');
		expect(all.jobs.map((j) => j.id)).toEqual([...ids].reverse());
		expect(Object.keys(all.pagination).sort()).toEqual(Object.keys((capture('jobs_list_final').response.json as JobPage).pagination).sort());
		const captured = (capture('jobs_list_final').response.json as JobPage).jobs;
		const keysOf = (status: string, list: JobPage['jobs']) => Object.keys(list.find((j) => j.status === status && j.preview_output?.mediaType !== 'text')!).sort();
		expect(keysOf('completed', all.jobs)).toEqual(keysOf('completed', captured));
		expect(keysOf('failed', all.jobs)).toEqual(keysOf('failed', captured));
	});

	it('filters by status, pages with limit/offset and sorts by execution duration', async () => {
		expect((await page('?status=completed')).jobs.map((j) => j.id)).toEqual(ids.slice(0, 3).reverse());
		expect((await page('?status=failed,cancelled')).jobs.map((j) => j.id)).toEqual([ids[3]]);
		expect((await page('?status=pending,in_progress')).jobs).toEqual([]);
		const first = await page('?limit=1&offset=0');
		const second = await page('?limit=1&offset=1');
		expect(first.pagination).toEqual({ ...(capture('jobs_list_limit1_offset0').response.json as JobPage).pagination, total: 4 });
		expect(second.pagination).toEqual({ ...(capture('jobs_list_limit1_offset1').response.json as JobPage).pagination, total: 4 });
		expect([first.jobs[0].id, second.jobs[0].id]).toEqual([ids[3], ids[2]]);
		expect((await page('?offset=3')).pagination).toEqual({ offset: 3, limit: null, total: 4, has_more: false });
		const byDuration = (await page('?sort_by=execution_duration&sort_order=asc')).jobs;
		const durations = byDuration.map((j) => j.execution_end_time! - j.execution_start_time!);
		expect(durations).toEqual([...durations].sort((x, y) => x - y));
	});

	it('filters by workflow_id, read from extra_pnginfo.workflow.id', async () => {
		const res = await post(sut.url, '/prompt', { prompt: slowNoise(1, 'probe', { seed: 35 }), client_id: A, extra_data: { extra_pnginfo: { workflow: { id: 'wf-1', nodes: [] } } } });
		const { prompt_id } = (await res.json()) as { prompt_id: string };
		const listed = await page('?workflow_id=wf-1');
		expect(listed.jobs.map((j) => j.id)).toEqual([prompt_id]);
		expect(listed.jobs[0].workflow_id).toBe('wf-1');
	});

	it('bad status, limit and sort answer the captured 400s', async () => {
		for (const name of ['jobs_list_status_invalid', 'jobs_list_limit0', 'jobs_list_bad_sort']) {
			const c = capture(name);
			const got = await get(String(c.request.path));
			expect(got.status, name).toBe(400);
			expect(got.body, name).toEqual(c.response.json);
		}
		expect((await get('/api/jobs?sort_order=up')).body).toEqual({ error: "sort_order must be 'asc' or 'desc'" });
		expect((await get('/api/jobs?limit=x')).body).toEqual({ error: 'limit must be an integer' });
	});

	it('unknown and non-uuid job ids are 404 Job not found', async () => {
		for (const name of ['jobs_detail_unknown', 'jobs_detail_not_uuid']) {
			const got = await get(String(capture(name).request.path));
			expect(got.status, name).toBe(404);
			expect(got.body, name).toEqual(capture(name).response.json);
		}
	});
});

describe('2026 S6: invalid prompts get the 0.33 400 bodies', () => {
	const cases = ['bad_combo', 'bad_link', 'missing_input', 'no_outputs', 'no_prompt_key', 'unknown_class', 'value_out_of_range', 'wrong_type', 'dynamic_combo_missing_subinput'];

	it.each(cases)('prompt_invalid_%s answers 400 with the captured error and node_errors', async (name) => {
		const c = capture(`prompt_invalid_${name}`);
		const res = await post(sut.url, '/prompt', c.request.json);
		expect(res.status).toBe(c.response.status);
		expect(withoutTracebacks(await res.json())).toEqual(withoutTracebacks(c.response.json));
	});

	it('an unknown dynamic-combo key and the combo as a nested object are accepted (200)', async () => {
		for (const name of ['dynamic_combo_unknown_key', 'dynamic_combo_nested_object']) {
			const c = capture(`prompt_invalid_${name}`);
			const res = await post(sut.url, '/prompt', c.request.json);
			expect(res.status, name).toBe(200);
			expect(normalizeJson({ ...((await res.json()) as object), number: 0 })).toEqual(normalizeJson({ ...(c.response.json as object), number: 0 }));
		}
	});

	it('malformed JSON is the 500 text page', async () => {
		const res = await fetch(`${sut.url}/prompt`, { method: 'POST', body: '{not json' });
		expect(res.status).toBe(500);
		expect(await res.text()).toBe(capture('prompt_invalid_malformed_json').response.text);
	});
});

describe('2026 S8: uploads and /view', () => {
	const png = (seed: number) => new Blob([new Uint8Array(encodePng({ width: 64, height: 48, rgb: new Uint8Array(64 * 48 * 3).fill(seed) }))], { type: 'image/png' });

	async function upload(blob: Blob, name: string, fields: Record<string, string> = {}): Promise<unknown> {
		const form = new FormData();
		form.append('image', blob, name);
		for (const [k, v] of Object.entries(fields)) form.append(k, v);
		const res = await fetch(`${sut.url}/upload/image`, { method: 'POST', body: form });
		expect(res.status).toBe(200);
		return res.json();
	}

	it('uploads answer without an asset field while assets are off; renames as before', async () => {
		expect(await upload(png(1), 'probe_upload.png')).toEqual(capture('upload_image').response.json);
		expect(await upload(png(1), 'probe_upload.png')).toEqual(capture('upload_image_duplicate_same_content').response.json);
		expect(await upload(png(2), 'probe_upload.png')).toEqual(capture('upload_image_name_collision_different_content').response.json);
		expect(await upload(png(3), 'sub_upload.png', { subfolder: 'pocket' })).toEqual(capture('upload_image_subfolder').response.json);
		const listed = ((await get('/object_info/LoadImage')).body as { LoadImage: { input: { required: { image: [string[]] } } } }).LoadImage;
		const captured = (capture('object_info_LoadImage_after_upload').response.json as { LoadImage: typeof listed }).LoadImage;
		expect(listed.input.required.image[0]).toEqual(expect.arrayContaining(captured.input.required.image[0]));
		expect({ ...listed, input: null }).toEqual({ ...captured, input: null });
	});

	it('/view sends X-Content-Type-Options: nosniff with the file; a missing file is an empty 404', async () => {
		const got = await fetch(`${sut.url}/view?filename=probe_upload.png&type=input`);
		const headers = capture('view_input_image').response.headers!;
		expect(got.status).toBe(200);
		for (const h of ['X-Content-Type-Options', 'Content-Type', 'Content-Disposition']) expect(got.headers.get(h), h).toBe(headers[h]);
		const missing = await fetch(`${sut.url}/view?filename=nope.png&type=output`);
		expect(missing.status).toBe(404);
		expect(missing.headers.get('x-content-type-options')).toBeNull();
	});
});
