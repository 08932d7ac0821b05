// SaveImage / PreviewImage: one PNG per batch item, named like the server names them, with the API prompt and
// every extra_pnginfo entry (the UI workflow) as tEXt chunks.
import { join } from 'node:path';
import type { ApiPrompt, OutputFile } from '../../src/lib/comfy/types';
import type { FileStore } from './files';
import { asciiJson, encodePng } from './png';
import { picture } from './pictures';
import type { Tensor } from './values';

export interface SaveRequest {
	type: 'output' | 'temp';
	prefix: string;
	tensor: Tensor;
	prompt: ApiPrompt;
	extraPngInfo: unknown;
}

export async function saveImages(files: FileStore, request: SaveRequest): Promise<OutputFile[]> {
	const { tensor } = request;
	const target = await files.saveTarget(request.type, request.prefix, tensor.width, tensor.height);
	const text: [string, string][] = [['prompt', asciiJson(request.prompt)]];
	if (typeof request.extraPngInfo === 'object' && request.extraPngInfo !== null) {
		for (const [key, value] of Object.entries(request.extraPngInfo)) text.push([key, asciiJson(value)]);
	}
	// PreviewImage saves with compress_level 1, SaveImage with 4, like the real nodes.
	const level = request.type === 'temp' ? 1 : 4;
	const results: OutputFile[] = [];
	let counter = target.counter;
	for (let i = 0; i < tensor.batch; i++) {
		const name = `${target.filename.replaceAll('%batch_num%', String(i))}_${String(counter).padStart(5, '0')}_.png`;
		const png = encodePng(picture(`${tensor.fingerprint}:${i}`, tensor.width, tensor.height), text, level);
		await files.write(join(target.folder, name), png);
		results.push({ filename: name, subfolder: target.subfolder, type: request.type });
		counter++;
	}
	return results;
}
