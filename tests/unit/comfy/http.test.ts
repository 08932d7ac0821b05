import { describe, expect, it } from 'vitest';
import { ComfyApi } from '$lib/comfy/http';
import { ComfyError } from '$lib/comfy/errors';
import type { NodeErrors, PromptErrorBody } from '$lib/comfy/types';
import { httpExchange, httpJson } from './capture-files';
import { fixtureFetch, jsonBody, type Routes } from './fixture-fetch';

const BASE = 'http://192.168.1.20:8188';
const S1 = '39e7a346-b086-4168-bf5d-6e7ca66f9bc8';

function api(routes: Routes, extra: Partial<ConstructorParameters<typeof ComfyApi>[0]> = {}) {
	const { fetch, seen } = fixtureFetch(routes);
	return { sut: new ComfyApi({ baseUrl: `${BASE}/`, fetch, ...extra }), seen };
}

async function caught(promise: Promise<unknown>): Promise<ComfyError> {
	try {
		await promise;
	} catch (error) {
		if (error instanceof ComfyError) return error;
		throw new Error(`expected a ComfyError, got ${String(error)}`);
	}
	throw new Error('expected the call to fail');
}

const PROMPT = httpExchange('prompt_post_success').request.json as { prompt: Record<string, never> };

describe('ComfyApi.queuePrompt', () => {
	it('posts the prompt with our client id and chosen prompt id to /api/prompt', async () => {
		const { sut, seen } = api({ 'POST /prompt': 'prompt_post_success' });
		const res = await sut.queuePrompt({ prompt: PROMPT.prompt, clientId: 'probe-client-A', promptId: S1, extraData: { extra_pnginfo: { workflow: {} } } });
		expect(res).toEqual({ prompt_id: S1, number: 0, node_errors: {} });
		expect(seen[0].url.href).toBe(`${BASE}/api/prompt`);
		expect(seen[0].headers['Content-Type']).toBe('application/json');
		expect(jsonBody(seen[0])).toEqual({ prompt: PROMPT.prompt, client_id: 'probe-client-A', prompt_id: S1, extra_data: { extra_pnginfo: { workflow: {} } } });
	});

	it('generates a UUID prompt id when none is given and sends front only when asked', async () => {
		const { sut, seen } = api({ 'POST /prompt': (req) => Response.json({ prompt_id: (jsonBody(req) as { prompt_id: string }).prompt_id, number: -3, node_errors: {} }) });
		const res = await sut.queuePrompt({ prompt: PROMPT.prompt, clientId: 'c', front: true });
		expect(res.prompt_id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
		expect(jsonBody(seen[0])).toMatchObject({ front: true, prompt_id: res.prompt_id });
	});

	it('refuses an answer that queued a different prompt id than ours', async () => {
		const { sut } = api({ 'POST /prompt': 'prompt_post_success' });
		const error = await caught(sut.queuePrompt({ prompt: PROMPT.prompt, clientId: 'c', promptId: 'mine' }));
		expect(error.kind).toBe('bad-response');
		expect(error.message).toContain(S1);
	});

	it.each([
		'prompt_invalid_bad_link',
		'prompt_invalid_ckpt_missing',
		'prompt_invalid_missing_input',
		'prompt_invalid_no_outputs',
		'prompt_invalid_no_prompt_key',
		'prompt_invalid_unknown_class',
		'prompt_invalid_value_out_of_range',
		'prompt_invalid_wrong_type'
	])('turns the recorded 400 %s into a rejection with the server error and node errors intact', async (fixture) => {
		const { sut } = api({ 'POST /prompt': fixture });
		const error = await caught(sut.queuePrompt({ prompt: PROMPT.prompt, clientId: 'c', promptId: 'p' }));
		const body = httpJson<{ error: PromptErrorBody; node_errors: NodeErrors }>(fixture);
		expect(error).toBeInstanceOf(Error);
		expect(error.kind).toBe('rejected');
		expect(error.status).toBe(400);
		expect(error.error).toEqual(body.error);
		expect(error.nodeErrors).toEqual(body.node_errors);
		expect(error.message).toBe(body.error.message);
	});

	it('turns the recorded 500 text page into an http error that quotes it', async () => {
		const { sut } = api({ 'POST /prompt': 'prompt_invalid_malformed_json' });
		const error = await caught(sut.queuePrompt({ prompt: PROMPT.prompt, clientId: 'c', promptId: 'p' }));
		expect(error).toMatchObject({ kind: 'http', status: 500 });
		expect(error.message).toContain('Server got itself in trouble');
		expect(error.nodeErrors).toBeUndefined();
	});

	it('reports the empty 403 of the origin guard as an http error with its status', async () => {
		const { sut } = api({ 'POST /prompt': () => new Response('', { status: 403, statusText: 'Forbidden' }) });
		const error = await caught(sut.queuePrompt({ prompt: PROMPT.prompt, clientId: 'c', promptId: 'p' }));
		expect(error).toMatchObject({ kind: 'http', status: 403 });
		expect(error.message).toContain('403');
	});
});

describe('ComfyApi queue and history', () => {
	it('reads the queue as recorded', async () => {
		const { sut } = api({ 'GET /queue': 'queue_running_with_pending' });
		const queue = await sut.getQueue();
		expect(queue.queue_running[0][1]).toBe('fc56acf2-afca-4c12-81b4-22ed8b3110ee');
		expect(queue.queue_pending.length).toBeGreaterThan(0);
	});

	it('deletes pending prompts and clears the queue with the documented bodies', async () => {
		const { sut, seen } = api({ 'POST /queue': 'queue_delete' });
		await sut.deleteQueued(['a', 'b']);
		await sut.clearQueue();
		expect(seen.map(jsonBody)).toEqual([{ delete: ['a', 'b'] }, { clear: true }]);
	});

	it('returns the history entry of a finished prompt', async () => {
		const { sut, seen } = api({ [`GET /history/${S1}`]: 'history_by_id' });
		const entry = await sut.getHistory(S1);
		expect(entry?.outputs['2'].images?.[0].filename).toBe('probe_00001_.png');
		expect(seen[0].url.pathname).toBe(`/api/history/${S1}`);
	});

	it('returns null for a prompt that is not in history yet', async () => {
		const { sut } = api({ 'GET /history/unknown': 'history_empty' });
		expect(await sut.getHistory('unknown')).toBeNull();
	});

	it('asks for the newest entries with max_items', async () => {
		const { sut, seen } = api({ 'GET /history': 'history_after_queue_ops' });
		const history = await sut.getRecentHistory(3);
		expect(Object.keys(history)).toHaveLength(3);
		expect(seen[0].url.searchParams.get('max_items')).toBe('3');
	});

	it('interrupts a given prompt, or whatever runs when none is given', async () => {
		const { sut, seen } = api({ 'POST /interrupt': 'interrupt_targeted_running' });
		await sut.interrupt('p1');
		await sut.interrupt();
		expect(seen.map(jsonBody)).toEqual([{ prompt_id: 'p1' }, {}]);
	});
});

describe('ComfyApi files', () => {
	it('builds /view URLs with every field encoded and the thumbnail re-encoding', () => {
		const { sut } = api({});
		const url = new URL(sut.viewUrl({ filename: 'my cat & dog.png', subfolder: 'a/b', type: 'temp' }, { preview: 'webp;80' }));
		expect(url.pathname).toBe('/api/view');
		expect(Object.fromEntries(url.searchParams)).toEqual({ filename: 'my cat & dog.png', subfolder: 'a/b', type: 'temp', preview: 'webp;80' });
	});

	it('builds the same query as the recorded /view request for a temp file', () => {
		const { sut } = api({});
		const recorded = new URL(BASE + httpExchange('view_temp_image_preview_webp').request.path);
		const url = new URL(sut.viewUrl({ filename: 'ComfyUI_temp_ytpvj_00001_.png', subfolder: '', type: 'temp' }, { preview: 'webp;80' }));
		expect(url.searchParams.get('filename')).toBe(recorded.searchParams.get('filename'));
		expect(url.searchParams.get('type')).toBe(recorded.searchParams.get('type'));
		expect(url.searchParams.get('preview')).toBe(recorded.searchParams.get('preview'));
	});

	it('downloads a file as a Blob and reports a missing one as 404', async () => {
		const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47]);
		const { sut } = api({
			'GET /view': (req) =>
				req.url.searchParams.get('filename') === 'nope.png'
					? new Response('', { status: 404, statusText: 'Not Found' })
					: new Response(png, { headers: { 'Content-Type': 'image/png' } })
		});
		const blob = await sut.fetchView({ filename: 'probe_00001_.png', subfolder: '', type: 'output' });
		expect(new Uint8Array(await blob.arrayBuffer())).toEqual(png);
		expect(await caught(sut.fetchView({ filename: 'nope.png', subfolder: '', type: 'output' }))).toMatchObject({ kind: 'http', status: 404 });
	});

	it('uploads an image as multipart with type, subfolder and overwrite, and returns the server name', async () => {
		const { sut, seen } = api({ 'POST /upload/image': 'upload_image_name_collision_different_content' });
		const result = await sut.uploadImage(new Blob([new Uint8Array([1, 2, 3])], { type: 'image/png' }), 'probe_upload.png', { subfolder: 'phone', overwrite: true });
		expect(result).toEqual({ name: 'probe_upload (1).png', subfolder: 'phone', type: 'input' });
		const form = seen[0].body as FormData;
		expect((form.get('image') as File).name).toBe('probe_upload.png');
		expect(form.get('type')).toBe('input');
		expect(form.get('subfolder')).toBe('phone');
		expect(form.get('overwrite')).toBe('true');
	});
});

describe('ComfyApi node definitions', () => {
	it('fetches /object_info once and serves later calls from the cache', async () => {
		const all = { ...httpJson<object>('object_info_KSampler'), ...httpJson<object>('object_info_LoadImage') };
		const { sut, seen } = api({ 'GET /object_info': () => Response.json(all) });
		const [a, b] = await Promise.all([sut.getObjectInfo(), sut.getObjectInfo()]);
		const c = await sut.getObjectInfo();
		expect(a).toBe(b);
		expect(c).toBe(a);
		expect(Object.keys(a)).toEqual(['KSampler', 'LoadImage']);
		expect(seen).toHaveLength(1);
		await sut.getObjectInfo({ refresh: true });
		expect(seen).toHaveLength(2);
	});

	it('merges a refreshed class into the cache, e.g. a combo list after an upload', async () => {
		const { sut } = api({
			'GET /object_info': () => Response.json(httpJson('object_info_LoadImage')),
			'GET /object_info/LoadImage': 'object_info_LoadImage_after_upload'
		});
		await sut.getObjectInfo();
		const def = await sut.refreshNodeClass('LoadImage');
		const options = (def?.input.required?.image[0] ?? []) as string[];
		expect(options).toContain('probe_upload.png');
		expect((await sut.getObjectInfo()).LoadImage).toBe(def);
	});

	it('returns null for an unknown class and drops it from the cache', async () => {
		const { sut } = api({
			'GET /object_info': () => Response.json({ NoSuchNode: httpJson<Record<string, unknown>>('object_info_KSampler').KSampler }),
			'GET /object_info/NoSuchNode': 'object_info_Unknown'
		});
		await sut.getObjectInfo();
		expect(await sut.refreshNodeClass('NoSuchNode')).toBeNull();
		expect((await sut.getObjectInfo()).NoSuchNode).toBeUndefined();
	});
});

describe('ComfyApi server information', () => {
	it('lists model folders and the models of one folder', async () => {
		const { sut, seen } = api({ 'GET /models': 'models', 'GET /models/checkpoints': 'models_checkpoints' });
		expect(await sut.listModelFolders()).toContain('checkpoints');
		expect(await sut.listModels('checkpoints')).toEqual([]);
		expect(seen[1].url.pathname).toBe('/api/models/checkpoints');
	});

	it('reads system stats and server features', async () => {
		const { sut } = api({ 'GET /system_stats': 'system_stats', 'GET /features': 'features' });
		expect((await sut.systemStats()).system.comfyui_version).toBe('0.3.64');
		expect(await sut.features()).toEqual({ supports_preview_metadata: true, max_upload_size: 104857600 });
	});

	it('lists saved workflows with full info and treats a missing workflows folder as empty', async () => {
		const files = [{ path: 'portrait.json', size: 1200, modified: 1795686585.5, created: 1795686585.5 }, { path: 42 }];
		const listing = api({ 'GET /userdata': () => Response.json(files) });
		expect(await listing.sut.listUserWorkflows()).toEqual([files[0]]);
		expect(Object.fromEntries(listing.seen[0].url.searchParams)).toEqual({ dir: 'workflows', recurse: 'true', split: 'false', full_info: 'true' });
		expect(await api({}).sut.listUserWorkflows()).toEqual([]);
	});

	it('fetches a saved workflow by its listed path, slashes encoded', async () => {
		const text = '{"nodes":[],"links":[]}';
		const { sut, seen } = api({ 'GET /userdata/workflows%2Fsub%2Fmy%20flow.json': () => new Response(text) });
		const bytes = await sut.getUserWorkflow('sub/my flow.json');
		expect(new TextDecoder().decode(bytes)).toBe(text);
		expect(seen[0].url.href).toBe(`${BASE}/api/userdata/workflows%2Fsub%2Fmy%20flow.json`);
	});
});

describe('ComfyApi failures', () => {
	it('sends the configured headers (the relay bearer) on every request', async () => {
		const { sut, seen } = api({ 'GET /features': 'features' }, { headers: { Authorization: 'Bearer t0k' } });
		await sut.features();
		expect(seen[0].headers.Authorization).toBe('Bearer t0k');
	});

	it('turns an unreachable server into a network error naming the host', async () => {
		const sut = new ComfyApi({ baseUrl: BASE, fetch: async () => Promise.reject(new TypeError('Failed to fetch')) });
		const error = await caught(sut.systemStats());
		expect(error.kind).toBe('network');
		expect(error.message).toContain('192.168.1.20:8188');
	});

	it('gives up after timeoutMs with a timeout error', async () => {
		const hanging: typeof fetch = (_input, init) =>
			new Promise((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))));
		const sut = new ComfyApi({ baseUrl: BASE, fetch: hanging, timeoutMs: 20 });
		expect((await caught(sut.getQueue())).kind).toBe('timeout');
	});

	it('times out a body that stops arriving after the headers, e.g. a huge /object_info', async () => {
		const stalling: typeof fetch = async (_input, init) => {
			const body = new ReadableStream<Uint8Array>({
				start(controller) {
					controller.enqueue(new TextEncoder().encode('{"KSampler": {'));
					init?.signal?.addEventListener('abort', () => controller.error(new DOMException('aborted', 'AbortError')));
				}
			});
			return new Response(body, { headers: { 'Content-Type': 'application/json' } });
		};
		const sut = new ComfyApi({ baseUrl: BASE, fetch: stalling, timeoutMs: 20 });
		expect((await caught(sut.getObjectInfo())).kind).toBe('timeout');
	});

	it('reports a connection lost in the middle of a body as a network error', async () => {
		const breaking: typeof fetch = async () => {
			const body = new ReadableStream<Uint8Array>({
				pull(controller) {
					controller.error(new TypeError('socket hang up'));
				}
			});
			return new Response(body);
		};
		const error = await caught(new ComfyApi({ baseUrl: BASE, fetch: breaking }).getQueue());
		expect(error.kind).toBe('network');
		expect(error.message).toMatch(/Connection lost while reading .*socket hang up/);
	});

	it('reports a caller cancellation as aborted', async () => {
		const hanging: typeof fetch = (_input, init) =>
			new Promise((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))));
		const sut = new ComfyApi({ baseUrl: BASE, fetch: hanging });
		const controller = new AbortController();
		const pending = sut.getHistory('x', controller.signal);
		controller.abort();
		expect((await caught(pending)).kind).toBe('aborted');
	});

	it('reports a body that is not JSON as bad-response', async () => {
		const { sut } = api({ 'GET /queue': () => new Response('<html>proxy login</html>') });
		const error = await caught(sut.getQueue());
		expect(error.kind).toBe('bad-response');
		expect(error.message).toContain('proxy login');
	});

	it('reports JSON of the wrong shape as bad-response', async () => {
		const { sut } = api({ 'GET /queue': () => Response.json({ running: [] }) });
		expect((await caught(sut.getQueue())).kind).toBe('bad-response');
	});

	it('reads Python NaN and Infinity in JSON as null', async () => {
		const { sut } = api({ 'GET /features': () => new Response('{"a": NaN, "b": [-Infinity, 1], "c": "NaN"}') });
		expect(await sut.features()).toEqual({ a: null, b: [null, 1], c: 'NaN' });
	});
});
