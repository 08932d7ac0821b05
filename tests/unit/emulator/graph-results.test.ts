// Results follow the graph: sizes through upscalers and scale factors, sampler steps through KSamplerAdvanced's
// window and SamplerCustom's sigmas, primitive values through links.
import { describe, expect, it } from 'vitest';
import type { ApiPrompt, HistoryEntry } from '../../../src/lib/comfy/types';
import { encodePng, pngSize } from '../../../tools/comfy-emulator/png';
import { useEmulatorWithClient } from './support/fixture';
import { A, queuePrompt } from './support/scenario';

const fixture = useEmulatorWithClient({ stepMs: 0 });

async function run(prompt: ApiPrompt): Promise<{ entry: HistoryEntry; progress: { value: number; max: number; node: string }[] }> {
	const from = fixture.client.records.length;
	const id = await queuePrompt(fixture.sut.url, prompt, A);
	await fixture.client.waitForDone(id, from);
	const progress = fixture.client.texts('progress').filter((m) => m.data.prompt_id === id).map((m) => m.data as { value: number; max: number; node: string });
	return { entry: fixture.sut.history()[id], progress };
}

async function savedSize(entry: HistoryEntry, node: string) {
	const file = entry.outputs[node].images![0];
	const res = await fetch(`${fixture.sut.url}/view?filename=${file.filename}&subfolder=${file.subfolder}&type=${file.type}`);
	return pngSize(new Uint8Array(await res.arrayBuffer()));
}

const base: ApiPrompt = {
	'1': { class_type: 'CheckpointLoaderSimple', inputs: { ckpt_name: 'dreamshaper_8.safetensors' } },
	'2': { class_type: 'EmptyLatentImage', inputs: { width: 512, height: 768, batch_size: 1 } },
	'3': { class_type: 'CLIPTextEncode', inputs: { text: 'a fox', clip: ['1', 1] } },
	'4': {
		class_type: 'KSamplerAdvanced',
		inputs: {
			model: ['1', 0], positive: ['3', 0], negative: ['3', 0], latent_image: ['2', 0], add_noise: 'enable', noise_seed: 5, steps: 20,
			cfg: 7, sampler_name: 'euler', scheduler: 'normal', start_at_step: 5, end_at_step: 15, return_with_leftover_noise: 'disable'
		}
	},
	'5': { class_type: 'VAEDecode', inputs: { samples: ['4', 0], vae: ['1', 2] } },
	'6': { class_type: 'UpscaleModelLoader', inputs: { model_name: '4x-UltraSharp.pth' } },
	'7': { class_type: 'ImageUpscaleWithModel', inputs: { upscale_model: ['6', 0], image: ['5', 0] } },
	'8': { class_type: 'ImageScaleBy', inputs: { image: ['7', 0], upscale_method: 'nearest-exact', scale_by: 0.5 } },
	'9': { class_type: 'SaveImage', inputs: { images: ['8', 0], filename_prefix: 'up' } },
	'10': { class_type: 'PreviewImage', inputs: { images: ['5', 0] } }
};

describe('results that follow the graph', () => {
	it('KSamplerAdvanced reports only its step window; an NxN upscale model and scale_by size the saved image', async () => {
		const { entry, progress } = await run(base);
		expect(progress.map((p) => `${p.node}:${p.value}/${p.max}`)).toEqual(Array.from({ length: 10 }, (_, i) => `4:${i + 1}/10`));
		expect(await savedSize(entry, '10')).toEqual({ width: 512, height: 768 });
		expect(await savedSize(entry, '9')).toEqual({ width: 1024, height: 1536 });
	});

	it('SamplerCustomAdvanced samples as many steps as its scheduler gives it', async () => {
		const prompt: ApiPrompt = {
			'1': { class_type: 'CheckpointLoaderSimple', inputs: { ckpt_name: 'dreamshaper_8.safetensors' } },
			'2': { class_type: 'EmptyLatentImage', inputs: { width: 256, height: 256, batch_size: 1 } },
			'3': { class_type: 'CLIPTextEncode', inputs: { text: 'a fox', clip: ['1', 1] } },
			'4': { class_type: 'BasicScheduler', inputs: { model: ['1', 0], scheduler: 'simple', steps: 6, denoise: 1 } },
			'5': { class_type: 'KSamplerSelect', inputs: { sampler_name: 'euler' } },
			'6': { class_type: 'RandomNoise', inputs: { noise_seed: 1 } },
			'7': { class_type: 'BasicGuider', inputs: { model: ['1', 0], conditioning: ['3', 0] } },
			'8': { class_type: 'SamplerCustomAdvanced', inputs: { noise: ['6', 0], guider: ['7', 0], sampler: ['5', 0], sigmas: ['4', 0], latent_image: ['2', 0] } },
			'9': { class_type: 'VAEDecode', inputs: { samples: ['8', 0], vae: ['1', 2] } },
			'10': { class_type: 'SaveImage', inputs: { images: ['9', 0], filename_prefix: 'custom' } }
		};
		const { entry, progress } = await run(prompt);
		expect(progress.map((p) => `${p.node}:${p.value}/${p.max}`)).toEqual(Array.from({ length: 6 }, (_, i) => `8:${i + 1}/6`));
		expect(await savedSize(entry, '10')).toEqual({ width: 256, height: 256 });
	});

	it('img2img keeps the size of the uploaded input image', async () => {
		const form = new FormData();
		const png = encodePng({ width: 300, height: 200, rgb: new Uint8Array(300 * 200 * 3) });
		form.append('image', new Blob([new Uint8Array(png)]), 'img2img-input.png');
		await fetch(`${fixture.sut.url}/upload/image`, { method: 'POST', body: form });
		const prompt: ApiPrompt = {
			...base,
			'2': { class_type: 'LoadImage', inputs: { image: 'img2img-input.png' } },
			'11': { class_type: 'VAEEncode', inputs: { pixels: ['2', 0], vae: ['1', 2] } }
		};
		prompt['4'] = { ...prompt['4'], inputs: { ...prompt['4'].inputs, latent_image: ['11', 0] } };
		const { entry } = await run(prompt);
		expect(await savedSize(entry, '10')).toEqual({ width: 300, height: 200 });
	});

	it('primitive values travel over links: a PrimitiveInt width sizes the latent', async () => {
		const prompt: ApiPrompt = {
			'1': { class_type: 'PrimitiveInt', inputs: { value: 320 } },
			'2': { class_type: 'EmptyImage', inputs: { width: ['1', 0], height: 200, batch_size: 1, color: 0 } },
			'3': { class_type: 'SaveImage', inputs: { images: ['2', 0], filename_prefix: 'prim' } }
		};
		const { entry } = await run(prompt);
		expect(await savedSize(entry, '3')).toEqual({ width: 320, height: 200 });
	});
});
