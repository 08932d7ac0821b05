// SaveAudio results: a FLAC per batch item, as long as the graph's `seconds`, with prompt and workflow as Vorbis
// comments, listed under `audio` like the real node's UI output.
import { describe, expect, it } from 'vitest';
import type { ApiPrompt } from '../../../src/lib/comfy/types';
import { flacTexts } from '../../../src/lib/workflow/flac';
import { useEmulatorWithClient } from './support/fixture';
import { A, post } from './support/scenario';

const fixture = useEmulatorWithClient({ stepMs: 0 });

const textToAudio = (seconds: number, batch: number): ApiPrompt => ({
	'1': { class_type: 'CheckpointLoaderSimple', inputs: { ckpt_name: 'sd_xl_base_1.0.safetensors' } },
	'2': { class_type: 'EmptyLatentAudio', inputs: { seconds, batch_size: batch } },
	'3': { class_type: 'VAEDecodeAudio', inputs: { samples: ['2', 0], vae: ['1', 2] } },
	'4': { class_type: 'SaveAudio', inputs: { audio: ['3', 0], filename_prefix: 'audio/ComfyUI' } }
});

/** Total samples and sample rate from the STREAMINFO block. */
function streamInfo(bytes: Uint8Array): { sampleRate: number; samples: number } {
	const packed = Buffer.from(bytes).readBigUInt64BE(8 + 10);
	return { sampleRate: Number(packed >> 44n), samples: Number(packed & 0xfffffffffn) };
}

describe('audio results', () => {
	it('SaveAudio writes batch-many FLAC files of the latent length with the prompt and workflow as comments', async () => {
		const workflow = { nodes: [{ id: 4, type: 'SaveAudio' }], links: [] };
		const res = await post(fixture.sut.url, '/prompt', { prompt: textToAudio(2.5, 2), client_id: A, extra_data: { extra_pnginfo: { workflow } } });
		const { prompt_id } = (await res.json()) as { prompt_id: string };
		await fixture.client.waitForDone(prompt_id);
		const audio = fixture.sut.history()[prompt_id].outputs['4'].audio!;
		expect(audio).toEqual([
			{ filename: 'ComfyUI_00001_.flac', subfolder: 'audio', type: 'output' },
			{ filename: 'ComfyUI_00002_.flac', subfolder: 'audio', type: 'output' }
		]);
		const view = await fetch(`${fixture.sut.url}/view?filename=ComfyUI_00001_.flac&subfolder=audio&type=output`);
		expect(view.headers.get('content-type')).toBe('audio/flac');
		const bytes = new Uint8Array(await view.arrayBuffer());
		expect(Buffer.from(bytes.subarray(0, 4)).toString()).toBe('fLaC');
		expect(streamInfo(bytes)).toEqual({ sampleRate: 44100, samples: 2.5 * 44100 });
		const comments = flacTexts(bytes);
		expect(JSON.parse(comments.workflow)).toEqual(workflow);
		expect(JSON.parse(comments.prompt)['2'].inputs.seconds).toBe(2.5);
	});
});
