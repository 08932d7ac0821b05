// SaveImage / PreviewImage: one PNG per batch item, named like the server names them, with the API prompt and
// every extra_pnginfo entry (the UI workflow) as tEXt chunks. SaveAudio / PreviewAudio: the same for FLAC files,
// with the metadata as Vorbis comments.
import { join } from 'node:path';
import type { ApiPrompt, OutputFile } from '../../src/lib/comfy/types';
import type { FileStore } from './files';
import { encodeFlac } from './flac';
import { asciiJson, encodePng } from './png';
import { picture, tone } from './pictures';
import type { Tensor } from './values';

export interface SaveRequest {
	type: 'output' | 'temp';
	prefix: string;
	tensor: Tensor;
	prompt: ApiPrompt;
	extraPngInfo: unknown;
}

/** Audio is generated at this rate, mono, and at most this long (EmptyLatentAudio defaults to 47.6 s). */
const SAMPLE_RATE = 44100;
const MAX_SECONDS = 60;

function metadata(request: SaveRequest): [string, string][] {
	const entries: [string, string][] = [['prompt', asciiJson(request.prompt)]];
	if (typeof request.extraPngInfo === 'object' && request.extraPngInfo !== null) {
		for (const [key, value] of Object.entries(request.extraPngInfo)) entries.push([key, asciiJson(value)]);
	}
	return entries;
}

/** Writes one file per batch item as `prefix_NNNNN_.ext`, counting on from the files already there. */
async function saveBatch(files: FileStore, request: SaveRequest, ext: string, encode: (item: number) => Buffer): Promise<OutputFile[]> {
	const { tensor } = request;
	const target = await files.saveTarget(request.type, request.prefix, tensor.width, tensor.height);
	const results: OutputFile[] = [];
	for (let i = 0; i < tensor.batch; i++) {
		const name = `${target.filename.replaceAll('%batch_num%', String(i))}_${String(target.counter + i).padStart(5, '0')}_.${ext}`;
		await files.write(join(target.folder, name), encode(i));
		results.push({ filename: name, subfolder: target.subfolder, type: request.type });
	}
	return results;
}

export function saveImages(files: FileStore, request: SaveRequest): Promise<OutputFile[]> {
	const { tensor } = request;
	const text = metadata(request);
	// PreviewImage saves with compress_level 1, SaveImage with 4, like the real nodes.
	const level = request.type === 'temp' ? 1 : 4;
	return saveBatch(files, request, 'png', (i) => encodePng(picture(`${tensor.fingerprint}:${i}`, tensor.width, tensor.height), text, level));
}

export function saveAudio(files: FileStore, request: SaveRequest): Promise<OutputFile[]> {
	const { tensor } = request;
	const seconds = Math.min(MAX_SECONDS, tensor.seconds ?? 5);
	const comments = metadata(request);
	return saveBatch(files, request, 'flac', (i) => encodeFlac(tone(`${tensor.fingerprint}:${i}`, seconds, SAMPLE_RATE), SAMPLE_RATE, comments));
}
