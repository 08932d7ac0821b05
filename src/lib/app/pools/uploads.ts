// Pictures uploaded to a pool. The form uploads a picture when it is picked, before the prompt's rig is chosen, so
// the pool uploads it to one rig, keeps the file, and when a prompt that names it goes to another rig (at Generate,
// or when a job moves) uploads it there first and rewrites the prompt with the name that rig gave it.
import type { ComfyApi, UploadOptions } from '$lib/comfy/http';
import type { ApiPrompt, UploadResult } from '$lib/comfy/types';
import { replaceValue } from '../outbox/comfy-target';
import { imageInputValue as inputValue } from '../run/run.service';

interface Kept {
	blob: Blob;
	filename: string;
	opts: UploadOptions;
	/** rig id → the name (with subfolder, as an input value) the file has there. */
	names: Map<string, string>;
}

/** Kept pictures (the newest); older ones are only on the rig they were first sent to. */
const KEEP = 24;

export class PoolUploads {
	/** Keyed by the value the form put in the prompt (the first rig's name for it). */
	readonly #kept = new Map<string, Kept>();

	/** Uploads to `rigId` and keeps the file for the other rigs. */
	async upload(rigId: string, api: Pick<ComfyApi, 'uploadImage'>, blob: Blob, filename: string, opts: UploadOptions = {}): Promise<UploadResult> {
		const result = await api.uploadImage(blob, filename, opts);
		const value = inputValue(result);
		this.#kept.delete(value);
		this.#kept.set(value, { blob, filename, opts: { ...opts, signal: undefined }, names: new Map([[rigId, value]]) });
		while (this.#kept.size > KEEP) this.#kept.delete(this.#kept.keys().next().value as string);
		return result;
	}

	/** Values in the prompt that are kept uploads: routing does not judge them against a rig's file list. */
	values(): ReadonlySet<string> {
		return new Set(this.#kept.keys());
	}

	/** The prompt as `rigId` must get it: every kept picture it names uploaded there, under the name it has there. */
	async placeOn(rigId: string, api: Pick<ComfyApi, 'uploadImage'>, prompt: ApiPrompt): Promise<ApiPrompt> {
		let out = prompt;
		for (const [value, kept] of this.#kept) {
			if (!names(prompt, value)) continue;
			let there = kept.names.get(rigId);
			if (there === undefined) {
				there = inputValue(await api.uploadImage(kept.blob, kept.filename, kept.opts));
				kept.names.set(rigId, there);
			}
			if (there !== value) out = replaceValue(out, value, there);
		}
		return out;
	}
}

function names(prompt: ApiPrompt, value: string): boolean {
	return Object.values(prompt).some((node) => Object.values(node.inputs ?? {}).some((v) => v === value));
}
