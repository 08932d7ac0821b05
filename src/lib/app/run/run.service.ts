// Side effects of the Run screen: talking to ComfyUI (queue, stop, cancel, upload) and holding the screen awake.
// State lives in jobs.svelte.ts / form.svelte.ts; these functions only act and report.
import { m } from '$lib/i18n';
import { cancelPrompts } from '../../comfy/cancel';
import type { ComfyApi } from '../../comfy/http';
import { ComfyError, toComfyError } from '../../comfy/errors';
import { randomId } from '../../comfy/ids';
import { promptExists } from '../../comfy/prompt-exists';
import type { ApiPrompt, ExtraData, UploadResult } from '../../comfy/types';

export interface QueueRunInput {
	api: Pick<ComfyApi, 'queuePrompt'>;
	clientId: string;
	prompt: ApiPrompt;
	extraData?: ExtraData;
	/** Made by the caller before sending, so the job is tracked before the first event can arrive. */
	promptId?: string;
}

export type QueueRunOutcome = { ok: true; promptId: string; number: number } | { ok: false; error: ComfyError };

export async function queueRun(input: QueueRunInput): Promise<QueueRunOutcome> {
	const promptId = input.promptId ?? randomId();
	try {
		const reply = await input.api.queuePrompt({
			prompt: input.prompt,
			clientId: input.clientId,
			promptId,
			extraData: input.extraData
		});
		return { ok: true, promptId, number: reply.number };
	} catch (err) {
		return { ok: false, error: toComfyError(err) };
	}
}

/**
 * A queue request that timed out or lost its connection may still have reached ComfyUI: the prompt_id is ours,
 * so ask the server before calling the run failed (sending it again could run it twice).
 */
export async function queuedAnyway(api: Parameters<typeof promptExists>[0], promptId: string, error: ComfyError): Promise<boolean> {
	if (error.kind !== 'timeout' && error.kind !== 'network') return false;
	return (await promptExists(api, promptId)) === true;
}

/**
 * Stop = cancel our pending jobs, then the one of ours that is running, by prompt id so someone else's job is never
 * hit (comfy/cancel.ts: the job API where the server has it, else /queue delete then /interrupt). Failures come
 * back as messages for the banner.
 */
export async function stopRuns(
	api: Pick<ComfyApi, 'interrupt' | 'deleteQueued' | 'jobs'>,
	runningId: string | null,
	pendingIds: string[]
): Promise<string[]> {
	const { failures } = await cancelPrompts(api, runningId, pendingIds);
	return failures.map((error) => m.run_stop_failed({ message: error.message }));
}

export type UploadOutcome = { ok: true; value: string; upload: UploadResult } | { ok: false; error: string };

/** The value a LoadImage-style input takes for an uploaded file: `subfolder/name`, plus the folder tag if not input. */
export function imageInputValue(upload: UploadResult): string {
	const path = upload.subfolder ? `${upload.subfolder}/${upload.name}` : upload.name;
	return upload.type && upload.type !== 'input' ? `${path} [${upload.type}]` : path;
}

export async function uploadInputImage(
	api: Pick<ComfyApi, 'uploadImage'>,
	blob: Blob,
	fileName: string
): Promise<UploadOutcome> {
	try {
		const upload = await api.uploadImage(blob, fileName, {});
		return { ok: true, value: imageInputValue(upload), upload };
	} catch (err) {
		return { ok: false, error: m.run_upload_failed({ message: toComfyError(err).message }) };
	}
}

interface WakeLockLike {
	release(): Promise<void>;
	addEventListener?(type: 'release', fn: () => void): void;
}

/**
 * Keeps the screen on while jobs run. Browsers drop the lock when the page is hidden, so it is taken again when
 * the page comes back while still wanted. Where the API is missing (or refused) the run simply goes on.
 */
export class ScreenAwake {
	#wanted = false;
	#lock: WakeLockLike | null = null;
	#onVisible = () => {
		if (this.#wanted && document.visibilityState === 'visible') void this.#acquire();
	};

	set(wanted: boolean): void {
		if (wanted === this.#wanted) return;
		this.#wanted = wanted;
		if (typeof document === 'undefined') return;
		if (wanted) {
			document.addEventListener('visibilitychange', this.#onVisible);
			void this.#acquire();
		} else {
			document.removeEventListener('visibilitychange', this.#onVisible);
			const lock = this.#lock;
			this.#lock = null;
			void lock?.release().catch(() => undefined);
		}
	}

	async #acquire(): Promise<void> {
		const wakeLock = (navigator as Navigator & { wakeLock?: { request(type: 'screen'): Promise<WakeLockLike> } }).wakeLock;
		if (!wakeLock || this.#lock) return;
		try {
			const lock = await wakeLock.request('screen');
			if (!this.#wanted) {
				await lock.release();
				return;
			}
			this.#lock = lock;
			lock.addEventListener?.('release', () => {
				if (this.#lock === lock) this.#lock = null;
			});
		} catch {
			// Refused (battery saver, hidden page): the run does not depend on it.
		}
	}
}

/** The server file an image input names (`sub/name.png [output]`), to show or mask it again. */
export function inputFileRef(value: string): { filename: string; subfolder: string; type: string } {
	const tagged = /^(.*) \[(input|output|temp)\]$/.exec(value);
	const path = tagged ? tagged[1] : value;
	const slash = path.lastIndexOf('/');
	return {
		filename: slash >= 0 ? path.slice(slash + 1) : path,
		subfolder: slash >= 0 ? path.slice(0, slash) : '',
		type: tagged ? tagged[2] : 'input'
	};
}

export async function fetchInputImage(api: Pick<ComfyApi, 'fetchView'>, value: string): Promise<Blob | null> {
	try {
		return await api.fetchView(inputFileRef(value));
	} catch {
		return null;
	}
}
