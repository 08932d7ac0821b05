// S0, S6 and S9 of the captures: static GETs, the 400 bodies of invalid prompts and the upload/view exchanges
// answer with the same statuses and bodies as the real server (ids and Python tracebacks aside).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodePng } from '../../../tools/comfy-emulator/png';
import { startEmulator, type Emulator } from '../../../tools/comfy-emulator/server';
import { httpCapture } from './support/captures';
import { post } from './support/scenario';

let sut: Emulator;

beforeAll(async () => {
	// The captured server had no model files: with an empty model set the model combos and lists match it.
	sut = await startEmulator({ stepMs: 5, models: {} });
});

afterAll(async () => {
	await sut.close();
});

async function getJson(path: string): Promise<{ status: number; body: unknown; text: string }> {
	const res = await fetch(`${sut.url}${path}`);
	const text = await res.text();
	return { status: res.status, body: text ? JSON.parse(text) : null, text };
}

function withoutTracebacks(value: unknown): unknown {
	return JSON.parse(JSON.stringify(value), (key, v) => (key === 'traceback' ? 'TRACEBACK' : v));
}

describe('S0: static GETs answer like the real server', () => {
	it('features, queue, prompt, history, models and embeddings bodies are equal to the captured ones', async () => {
		for (const [path, name] of [
			['/features', 'features'],
			['/queue', 'queue_idle'],
			['/prompt', 'prompt_get'],
			['/history', 'history_empty'],
			['/models', 'models'],
			['/models/checkpoints', 'models_checkpoints'],
			['/embeddings', 'embeddings']
		]) {
			const got = await getJson(path);
			expect(got.status, path).toBe(200);
			expect(got.body, path).toEqual(httpCapture(name).response.json);
		}
	});

	it('system_stats has the captured shape under /X and /api/X, and names the emulator as its device', async () => {
		const captured = httpCapture('system_stats').response.json as { system: object; devices: object[] };
		for (const path of ['/system_stats', '/api/system_stats']) {
			const got = (await getJson(path)).body as { system: object; devices: { name: string }[] };
			expect(Object.keys(got.system).sort(), path).toEqual(Object.keys(captured.system).sort());
			expect(Object.keys(got.devices[0]).sort(), path).toEqual(Object.keys(captured.devices[0]).sort());
			expect(got.devices[0].name).toMatch(/emulator/);
		}
	});

	it('object_info of single classes equals the captured entries, big seed maxima digit for digit', async () => {
		for (const cls of ['SaveImage', 'PreviewImage', 'KSampler', 'SlowNoiseImage', 'CheckpointLoaderSimple', 'Unknown']) {
			const path = `/object_info/${cls === 'Unknown' ? 'NoSuchNode' : cls}`;
			const got = await getJson(path);
			expect(got.body, cls).toEqual(httpCapture(`object_info_${cls}`).response.json);
		}
		expect((await getJson('/object_info/KSampler')).text).toContain('"max":18446744073709551615');
	});

	it('the full object_info has every class of the captured summary', async () => {
		const all = (await getJson('/object_info')).body as Record<string, unknown>;
		const summary = httpCapture('object_info_summary') as unknown as { node_names: string[] };
		for (const name of summary.node_names) expect(all, name).toHaveProperty(name);
	});
});

describe('S6: invalid prompts get the real 400 bodies', () => {
	const cases = ['bad_link', 'ckpt_missing', 'missing_input', 'no_outputs', 'no_prompt_key', 'unknown_class', 'value_out_of_range', 'wrong_type'];

	it.each(cases)('prompt_invalid_%s answers 400 with the captured error and node_errors', async (name) => {
		const capture = httpCapture(`prompt_invalid_${name}`);
		const res = await post(sut.url, '/prompt', capture.request.json);
		expect(res.status).toBe(capture.response.status);
		expect(withoutTracebacks(await res.json())).toEqual(withoutTracebacks(capture.response.json));
	});

	it('malformed JSON is a 500 text page, as aiohttp answers an unhandled exception', async () => {
		const capture = httpCapture('prompt_invalid_malformed_json');
		const res = await fetch(`${sut.url}/prompt`, { method: 'POST', body: '{not json' });
		expect(res.status).toBe(500);
		expect(await res.text()).toBe(capture.response.text);
	});

	it('invalid prompts consume a number, as the real counter does', async () => {
		const body = (await (await post(sut.url, '/prompt', httpCapture('prompt_post_success').request.json)).json()) as { number: number };
		expect(body.number).toBeGreaterThanOrEqual(cases.length);
	});
});

describe('S9: uploads and /view', () => {
	const png = (seed: number) => new Blob([new Uint8Array(encodePng({ width: 64, height: 48, rgb: new Uint8Array(64 * 48 * 3).fill(seed) }))], { type: 'image/png' });

	async function upload(blob: Blob, fields: Record<string, string>): Promise<unknown> {
		const form = new FormData();
		form.append('image', blob, 'probe_upload.png');
		for (const [k, v] of Object.entries(fields)) form.append(k, v);
		const res = await fetch(`${sut.url}/upload/image`, { method: 'POST', body: form });
		expect(res.status).toBe(200);
		return res.json();
	}

	it('a new upload, a subfolder upload, a same-content duplicate and a name collision get the captured names', async () => {
		expect(await upload(png(1), { overwrite: 'true', type: 'input' })).toEqual(httpCapture('upload_image').response.json);
		expect(await upload(png(1), { subfolder: 'phone' })).toEqual(httpCapture('upload_image_subfolder_no_overwrite').response.json);
		expect(await upload(png(1), { subfolder: 'phone' })).toEqual(httpCapture('upload_image_duplicate_same_content').response.json);
		expect(await upload(png(2), { subfolder: 'phone' })).toEqual(httpCapture('upload_image_name_collision_different_content').response.json);
	});

	it('the uploaded file is served by /view with its type and disposition, and LoadImage lists it', async () => {
		const res = await fetch(`${sut.url}/view?filename=probe_upload.png&type=input`);
		const captured = httpCapture('view_input_image').response as { headers: Record<string, string> };
		expect(res.status).toBe(200);
		expect(res.headers.get('content-type')).toBe(captured.headers['Content-Type']);
		expect(res.headers.get('content-disposition')).toBe(captured.headers['Content-Disposition']);
		expect(Buffer.from(await res.arrayBuffer()).subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
		const loadImage = (await getJson('/object_info/LoadImage')).body as { LoadImage: { input: { required: { image: [string[]] } } } };
		expect(loadImage.LoadImage.input.required.image[0]).toContain('probe_upload.png');
	});

	it('a missing file is an empty 404', async () => {
		const res = await fetch(`${sut.url}/view?filename=nope.png&type=output`);
		expect(res.status).toBe(httpCapture('view_missing').response.status);
		expect(await res.text()).toBe('');
	});
});
