// Saving what a finished job produced: every output file fetched in full, a small thumbnail made on the device,
// and the parameters that made it, stored as one result (which also becomes the workflow's Library picture).
import type { ComfyApi } from '../../comfy/http';
import { toComfyError } from '../../comfy/errors';
import type { ApiPrompt, NodeOutput } from '../../comfy/types';
import { addResult, type ResultFile, type ResultRecord } from '../../storage';
import { collectOutputs } from './outputs';

export const THUMB_SIZE = 384;

export interface Thumbnail {
	blob: Blob;
	width: number;
	height: number;
}

/** Makes a thumbnail of an image blob; null when this platform cannot decode images (the full file is used). */
export type ThumbnailMaker = (blob: Blob) => Promise<Thumbnail | null>;

export interface SaveResultsInput {
	api: Pick<ComfyApi, 'fetchView'>;
	workflowId: string;
	promptId: string;
	serverId: string;
	values: Record<string, unknown>;
	prompt: ApiPrompt;
	outputs: Record<string, NodeOutput | null | undefined>;
	makeThumbnail?: ThumbnailMaker;
}

export type SaveResultsOutcome =
	| { ok: true; result: ResultRecord | null; skipped: string[] }
	| { ok: false; error: Error; skipped: string[] };

/**
 * A file that cannot be fetched is named in `skipped` (and the rest are still saved); a storage failure such as
 * a full device comes back as the error so the screen can offer to free space.
 */
export async function saveRunResults(input: SaveResultsInput): Promise<SaveResultsOutcome> {
	const make = input.makeThumbnail ?? browserThumbnail;
	const files: ResultFile[] = [];
	const skipped: string[] = [];
	for (const ref of collectOutputs(input.outputs)) {
		let blob: Blob;
		try {
			blob = await input.api.fetchView(ref.file);
		} catch (err) {
			skipped.push(`${ref.file.filename}: ${toComfyError(err).message}`);
			continue;
		}
		const typed = blob.type ? blob : new Blob([blob], { type: ref.mime });
		const file: ResultFile = { kind: ref.kind, mime: typed.type, blob: typed, filename: ref.file.filename, nodeId: ref.nodeId };
		if (ref.kind === 'image') {
			const thumb = await make(typed).catch(() => null);
			if (thumb) Object.assign(file, { thumb: thumb.blob, width: thumb.width, height: thumb.height });
		}
		files.push(file);
	}
	if (files.length === 0) return { ok: true, result: null, skipped };
	try {
		const result = await addResult({
			workflowId: input.workflowId,
			promptId: input.promptId,
			serverId: input.serverId,
			params: { values: input.values, prompt: input.prompt },
			files
		});
		return { ok: true, result, skipped };
	} catch (err) {
		return { ok: false, error: err instanceof Error ? err : new Error(String(err)), skipped };
	}
}

/** Decodes off the main thread and scales so the long side is THUMB_SIZE; WebP keeps thumbnails a few KB. */
export async function browserThumbnail(blob: Blob): Promise<Thumbnail | null> {
	if (typeof createImageBitmap !== 'function') return null;
	const full = await createImageBitmap(blob);
	const { width, height } = full;
	full.close();
	const scale = Math.min(1, THUMB_SIZE / Math.max(width, height));
	const w = Math.max(1, Math.round(width * scale));
	const h = Math.max(1, Math.round(height * scale));
	const small = await createImageBitmap(blob, { resizeWidth: w, resizeHeight: h, resizeQuality: 'medium' });
	try {
		const thumb = await encode(small, w, h);
		return thumb ? { blob: thumb, width, height } : null;
	} finally {
		small.close();
	}
}

async function encode(bitmap: ImageBitmap, w: number, h: number): Promise<Blob | null> {
	if (typeof OffscreenCanvas === 'function') {
		const canvas = new OffscreenCanvas(w, h);
		canvas.getContext('2d')?.drawImage(bitmap, 0, 0);
		return canvas.convertToBlob({ type: 'image/webp', quality: 0.8 });
	}
	if (typeof document === 'undefined') return null;
	const canvas = document.createElement('canvas');
	canvas.width = w;
	canvas.height = h;
	canvas.getContext('2d')?.drawImage(bitmap, 0, 0);
	return new Promise((resolve) => canvas.toBlob(resolve, 'image/webp', 0.8));
}
