// HTTP behaviour the captures do not cover: /view path rules and ranges, saved PNGs (size from the graph, seed
// dependence, prompt/workflow metadata), queue priority order, history paging, userdata, body limit.
import { describe, expect, it } from 'vitest';
import type { ApiPrompt, History, QueueState } from '../../../src/lib/comfy/types';
import { pngTexts } from '../../../src/lib/workflow/png';
import { pngSize } from '../../../tools/comfy-emulator/png';
import { useEmulatorWithClient } from './support/fixture';
import { A, post, queuePrompt, slowNoise } from './support/scenario';

const fixture = useEmulatorWithClient({ stepMs: 5, maxUploadSize: 64 * 1024 });

function txt2img(seed: number, width: number, height: number, batch: number): ApiPrompt {
	return {
		'4': { class_type: 'CheckpointLoaderSimple', inputs: { ckpt_name: 'dreamshaper_8.safetensors' } },
		'5': { class_type: 'EmptyLatentImage', inputs: { width, height, batch_size: batch } },
		'6': { class_type: 'CLIPTextEncode', inputs: { text: 'a lighthouse', clip: ['4', 1] } },
		'3': {
			class_type: 'KSampler',
			inputs: { model: ['4', 0], positive: ['6', 0], negative: ['6', 0], latent_image: ['5', 0], seed, steps: 4, cfg: 7, sampler_name: 'euler', scheduler: 'normal', denoise: 1 }
		},
		'8': { class_type: 'VAEDecode', inputs: { samples: ['3', 0], vae: ['4', 2] } },
		'9': { class_type: 'SaveImage', inputs: { images: ['8', 0], filename_prefix: 'sub/txt2img' } }
	};
}

async function run(prompt: ApiPrompt, extra: Record<string, unknown> = {}): Promise<History[string]> {
	const res = await post(fixture.sut.url, '/prompt', { prompt, client_id: A, ...extra });
	const { prompt_id } = (await res.json()) as { prompt_id: string };
	await fixture.client.waitForDone(prompt_id);
	return fixture.sut.history()[prompt_id];
}

async function view(query: string): Promise<globalThis.Response> {
	return fetch(`${fixture.sut.url}/api/view?${query}`);
}

describe('generated results', () => {
	it('a txt2img graph reports its sampler steps and saves batch-many PNGs of the latent size with metadata', async () => {
		const workflow = { nodes: [], links: [], version: 0.4, extra: { note: 'héllo' } };
		const from = fixture.client.records.length;
		const entry = await run(txt2img(1, 640, 384, 2), { extra_data: { extra_pnginfo: { workflow } } });
		expect(fixture.client.records.slice(from).filter((r) => r.kind === 'text' && r.msg.type === 'progress').length).toBe(4);
		const images = entry.outputs['9'].images!;
		expect(images).toEqual([
			{ filename: 'txt2img_00001_.png', subfolder: 'sub', type: 'output' },
			{ filename: 'txt2img_00002_.png', subfolder: 'sub', type: 'output' }
		]);
		const bytes = new Uint8Array(await (await view('filename=txt2img_00001_.png&subfolder=sub&type=output')).arrayBuffer());
		expect(pngSize(bytes)).toEqual({ width: 640, height: 384 });
		const texts = await pngTexts(bytes);
		expect(JSON.parse(texts.workflow)).toEqual(workflow);
		expect(JSON.parse(texts.prompt)['3'].inputs.seed).toBe(1);
	});

	it('another seed gives different pixels, the same seed is served from cache', async () => {
		const first = await run(txt2img(2, 256, 256, 1));
		const second = await run(txt2img(3, 256, 256, 1));
		const again = await run(txt2img(3, 256, 256, 1));
		const bytesOf = async (file: { filename: string; subfolder: string }) =>
			Buffer.from(await (await view(`filename=${file.filename}&subfolder=${file.subfolder}`)).arrayBuffer());
		expect((await bytesOf(first.outputs['9'].images![0])).equals(await bytesOf(second.outputs['9'].images![0]))).toBe(false);
		expect(again.outputs).toEqual(second.outputs);
		expect(again.status.messages[1][1].nodes).toEqual(['4', '5', '6', '3', '8', '9'].sort((x, y) => Number(x) - Number(y)));
	});
});

describe('/view rules', () => {
	it('refuses parent paths (400), subfolders outside the folder (403), unknown types (400); a missing name is 404', async () => {
		expect((await view('filename=../secret.png')).status).toBe(400);
		expect((await view('filename=a.png&subfolder=../../etc')).status).toBe(403);
		expect((await view('filename=passwd&subfolder=/etc')).status).toBe(403);
		expect((await view('filename=a.png&type=models')).status).toBe(400);
		expect((await view('type=output')).status).toBe(404);
	});

	it('an annotated name picks the folder, and a byte range gets a 206 with the slice', async () => {
		const full = await view('filename=example.png [input]&type=output');
		expect(full.status).toBe(200);
		const all = Buffer.from(await full.arrayBuffer());
		const part = await fetch(`${fixture.sut.url}/view?filename=example.png&type=input`, { headers: { Range: 'bytes=0-7' } });
		expect(part.status).toBe(206);
		expect(part.headers.get('content-range')).toBe(`bytes 0-7/${all.length}`);
		expect(Buffer.from(await part.arrayBuffer())).toEqual(all.subarray(0, 8));
	});

	it('preview=webp serves the original bytes with their own type (no WebP encoder in the emulator)', async () => {
		const res = await view('filename=example.png&type=input&preview=webp;80');
		expect(res.headers.get('content-type')).toBe('image/png');
	});
});

describe('queue and history', () => {
	it('pending items are in heap order of (number, prompt_id); front and number change the priority', async () => {
		const blocker = await queuePrompt(fixture.sut.url, slowNoise(30, 'block', { seed: 99 }), A);
		await fixture.client.waitFor((r) => r.kind === 'text' && r.msg.type === 'progress' && r.msg.data.prompt_id === blocker);
		const queued = [];
		for (const body of [{}, { front: true }, { prompt_id: 'bbb', number: 2.5 }, { prompt_id: 'aaa', number: 2.5 }]) {
			const res = await post(fixture.sut.url, '/prompt', { prompt: slowNoise(1, 'q', { seed: queued.length }), client_id: A, ...body });
			queued.push((await res.json()) as { prompt_id: string; number: number });
		}
		expect(queued[2].number).toBe(2.5);
		expect(queued[1].number).toBe(-queued[0].number - 1);
		const state = (await (await fetch(`${fixture.sut.url}/queue`)).json()) as QueueState;
		expect(state.queue_running.map((i) => i[1])).toEqual([blocker]);
		const sorted = [...state.queue_pending].sort((x, y) => x[0] - y[0] || (x[1] < y[1] ? -1 : 1)).map((i) => i[1]);
		expect(sorted).toEqual([queued[1].prompt_id, 'aaa', 'bbb', queued[0].prompt_id]);
		await post(fixture.sut.url, '/queue', { clear: true });
		await post(fixture.sut.url, '/interrupt', { prompt_id: blocker });
		await fixture.client.waitForDone(blocker);
		expect(((await (await fetch(`${fixture.sut.url}/queue`)).json()) as QueueState).queue_pending).toEqual([]);
	});

	it('a number is taken through float() like the server: "7" is 7, null crashes the handler (500)', async () => {
		const body = (number: unknown) => ({ prompt: slowNoise(1, 'n'), number, client_id: A });
		const ok = await post(fixture.sut.url, '/prompt', body('7'));
		expect(((await ok.json()) as { number: number }).number).toBe(7);
		expect((await post(fixture.sut.url, '/prompt', body(null))).status).toBe(500);
	});

	it('history pages with max_items and offset, and deletes entries', async () => {
		const all = Object.keys(await (await fetch(`${fixture.sut.url}/history`)).json());
		expect(Object.keys(await (await fetch(`${fixture.sut.url}/history?max_items=2`)).json())).toEqual(all.slice(-2));
		expect(Object.keys(await (await fetch(`${fixture.sut.url}/history?max_items=1&offset=1`)).json())).toEqual([all[1]]);
		await post(fixture.sut.url, '/history', { delete: [all[0]] });
		expect(await (await fetch(`${fixture.sut.url}/history/${all[0]}`)).json()).toEqual({});
	});
});

describe('uploads', () => {
	it('refuses a subfolder outside the folder, a missing file part and an unknown type', async () => {
		const send = async (fields: Record<string, string>, withFile = true) => {
			const form = new FormData();
			if (withFile) form.append('image', new Blob([new Uint8Array([1, 2, 3])]), 'x.png');
			for (const [k, v] of Object.entries(fields)) form.append(k, v);
			return (await fetch(`${fixture.sut.url}/upload/image`, { method: 'POST', body: form })).status;
		};
		expect(await send({ subfolder: '../../escape' })).toBe(400);
		expect(await send({ subfolder: '/tmp' })).toBe(400);
		expect(await send({}, false)).toBe(400);
		// The real server crashes on an unknown type (no folder for it): an aiohttp 500.
		expect(await send({ type: 'models' })).toBe(500);
	});
});

describe('userdata and limits', () => {
	it('lists the seeded workflows and serves one by its encoded path', async () => {
		const list = (await (await fetch(`${fixture.sut.url}/api/userdata?dir=workflows&recurse=true&split=false&full_info=true`)).json()) as { path: string; size: number }[];
		expect(list.map((f) => f.path).sort()).toEqual(['lora_multiple.json', 'sdxl_turbo.json']);
		const res = await fetch(`${fixture.sut.url}/api/userdata/${encodeURIComponent('workflows/sdxl_turbo.json')}`);
		expect(res.status).toBe(200);
		expect((await res.json()) as object).toHaveProperty('nodes');
		expect((await fetch(`${fixture.sut.url}/api/userdata?dir=nothing`)).status).toBe(404);
		expect((await fetch(`${fixture.sut.url}/api/userdata/${encodeURIComponent('../../etc/passwd')}`)).status).toBe(403);
	});

	it('a body over the upload limit is refused with 413 and the server keeps working', async () => {
		const res = await fetch(`${fixture.sut.url}/prompt`, { method: 'POST', body: 'x'.repeat(70 * 1024) });
		expect(res.status).toBe(413);
		expect((await fetch(`${fixture.sut.url}/prompt`)).status).toBe(200);
	});
});
