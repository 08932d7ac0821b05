// The outbox's way to a ComfyUI server (LAN or relay, through the transport's ComfyApi): pictures up first, then
// the prompt with the entry's own prompt_id; and the question whether the server already has that id.
import type { ComfyApi } from '$lib/comfy/http';
import { toComfyError } from '$lib/comfy/errors';
import { promptExists, type PromptLookup } from '$lib/comfy/prompt-exists';
import type { ApiPrompt } from '$lib/comfy/types';
import type { OutboxRecord } from '$lib/storage';
import { imageInputValue, replaceValue } from '$lib/comfy/upload-values';
import { sendFailure, type OutboxEvent } from './machine';
import type { OutboxTarget } from './sender';

export { replaceValue };

export interface ComfyTargetOptions {
	serverId: string;
	api: Pick<ComfyApi, 'uploadImage' | 'queuePrompt'> & PromptLookup;
	clientId: string;
	now?: () => number;
}

export function comfyTarget(opts: ComfyTargetOptions): OutboxTarget {
	const now = opts.now ?? Date.now;
	return {
		serverId: opts.serverId,
		probe: (promptId) => promptExists(opts.api, promptId),
		async send(entry: OutboxRecord): Promise<OutboxEvent> {
			let prompt = entry.prompt;
			for (const upload of entry.uploads) {
				try {
					const stored = await opts.api.uploadImage(upload.blob, upload.fileName);
					prompt = replaceValue(prompt, upload.value, imageInputValue(stored));
				} catch (err) {
					return sendFailure(toComfyError(err), now(), 'upload');
				}
			}
			try {
				await opts.api.queuePrompt({ prompt, clientId: opts.clientId, promptId: entry.promptId, extraData: entry.extraData });
				return { type: 'accepted', at: now(), prompt };
			} catch (err) {
				return sendFailure(toComfyError(err), now(), 'prompt');
			}
		}
	};
}
