// Results made elsewhere on the same server (another phone's run through the relay, a Server history entry) kept
// in this device's history: each picture is fetched small (`/view?…&preview=webp;80`) with the prompt and the UI
// workflow that made it, and the full file is fetched only when the result is opened or saved (completeResult).
import { m } from '$lib/i18n';
import type { ComfyApi } from '../../comfy/http';
import { toComfyError } from '../../comfy/errors';
import type { ApiPrompt, ExtraData, NodeOutput } from '../../comfy/types';
import { addResult, findResultByPrompt, type ResultFile, type ResultRecord, type SharedOrigin } from '../../storage';
import { collectOutputs } from '../run/outputs';
import { browserThumbnail, type ThumbnailMaker } from '../run/results.service';

/** The workflowId of results made elsewhere: they belong to no workflow of this device until one is imported. */
export const SHARED_WORKFLOW_ID = 'shared';
/** What ComfyUI's /view makes of a picture for a thumbnail (its own resize is not offered, only the format). */
export const PREVIEW_QUERY = 'webp;80';

export interface SharedResultInput {
	api: Pick<ComfyApi, 'fetchView' | 'getHistory'>;
	promptId: string;
	serverId: string;
	outputs: Record<string, NodeOutput>;
	prompt?: ApiPrompt | null;
	workflow?: unknown;
	title?: string | null;
	device?: string | null;
	/** Fetch the full files now ("Save to phone"), instead of the small previews. */
	full?: boolean;
	makeThumbnail?: ThumbnailMaker;
}

export type SharedResultOutcome = { ok: true; result: ResultRecord | null; skipped: string[] } | { ok: false; error: string; skipped: string[] };

/**
 * The form values a prompt was made with, as the Run form names them (`<node id>.<input>`): every input that is
 * a value rather than a link. Values of inputs the form does not show are ignored by it.
 */
export function valuesFromPrompt(prompt: ApiPrompt): Record<string, unknown> {
	const values: Record<string, unknown> = {};
	for (const [nodeId, node] of Object.entries(prompt)) {
		for (const [input, value] of Object.entries(node.inputs ?? {})) {
			const isLink = Array.isArray(value) && value.length === 2 && typeof value[0] === 'string' && typeof value[1] === 'number';
			if (!isLink) values[`${nodeId}.${input}`] = value;
		}
	}
	return values;
}

function workflowOf(extra: ExtraData | undefined): unknown {
	const info = (extra as Record<string, unknown> | undefined)?.extra_pnginfo;
	return typeof info === 'object' && info !== null ? (info as Record<string, unknown>).workflow : undefined;
}

/** Stores a result made elsewhere, once per prompt (an existing entry for the prompt is returned as it is). */
export async function saveSharedResult(input: SharedResultInput): Promise<SharedResultOutcome> {
	const skipped: string[] = [];
	try {
		const existing = await findResultByPrompt(input.promptId);
		if (existing) return { ok: true, result: existing, skipped };
		let prompt = input.prompt ?? null;
		let workflow: unknown = input.workflow ?? undefined;
		if (!prompt || workflow === undefined) {
			const entry = await input.api.getHistory(input.promptId).catch(() => null);
			prompt ??= entry?.prompt[2] ?? null;
			workflow ??= workflowOf(entry?.prompt[3]);
		}
		const files: ResultFile[] = [];
		for (const ref of collectOutputs(input.outputs)) {
			const file: ResultFile = { kind: ref.kind, mime: ref.mime, blob: new Blob([], { type: ref.mime }), filename: ref.file.filename, nodeId: ref.nodeId, remote: ref.file };
			if (input.full || ref.kind === 'image') {
				try {
					const blob = await input.api.fetchView(ref.file, input.full ? {} : { preview: PREVIEW_QUERY });
					if (input.full) {
						file.blob = blob.type ? blob : new Blob([blob], { type: ref.mime });
						file.mime = file.blob.type;
						delete file.remote;
					} else {
						// Shown until the full file is fetched (also offline): the preview is all this device has.
						file.blob = blob;
						file.thumb = blob;
					}
					if (ref.kind === 'image') {
						const thumb = await (input.makeThumbnail ?? browserThumbnail)(blob).catch(() => null);
						if (thumb) Object.assign(file, { thumb: thumb.blob, width: thumb.width, height: thumb.height });
					}
				} catch (err) {
					skipped.push(`${ref.file.filename}: ${toComfyError(err).message}`);
					continue;
				}
			}
			files.push(file);
		}
		if (files.length === 0) return { ok: true, result: null, skipped };
		const shared: SharedOrigin = {};
		if (input.device) shared.device = input.device;
		if (input.title) shared.title = input.title;
		if (workflow !== undefined && workflow !== null) shared.workflow = workflow;
		const result = await addResult({
			workflowId: SHARED_WORKFLOW_ID,
			promptId: input.promptId,
			serverId: input.serverId,
			params: { values: prompt ? valuesFromPrompt(prompt) : {}, prompt: prompt ?? {} },
			files,
			shared
		});
		return { ok: true, result, skipped };
	} catch (err) {
		return { ok: false, error: err instanceof Error ? err.message : String(err), skipped };
	}
}

/** True while some file of the result is only its preview. */
export function isPartial(result: ResultRecord): boolean {
	return result.files.some((f) => f.remote !== undefined);
}

/**
 * Fetches the full files of a result kept with previews only, and stores them in place. Files that cannot be
 * fetched (another server is active, it is offline, the file is gone) keep their preview; `error` says why.
 */
export async function completeResult(result: ResultRecord, api: Pick<ComfyApi, 'fetchView'>): Promise<{ result: ResultRecord; error: string | null }> {
	let error: string | null = null;
	const files: ResultFile[] = [];
	for (const file of result.files) {
		if (!file.remote) {
			files.push(file);
			continue;
		}
		try {
			const blob = await api.fetchView(file.remote);
			const typed = blob.type ? blob : new Blob([blob], { type: file.mime });
			const { remote: _remote, ...rest } = file;
			files.push({ ...rest, blob: typed, mime: typed.type });
		} catch (err) {
			error = m.shared_full_file_failed({ error: toComfyError(err).message });
			files.push(file);
		}
	}
	if (files.every((f, i) => f === result.files[i])) return { result, error };
	const stored = await addResult({ ...result, files });
	return { result: stored, error };
}
