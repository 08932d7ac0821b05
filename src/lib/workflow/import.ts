// Import boundary: any file a user may drop (API or UI JSON, PNG, WebP, FLAC, MP4, WebM) → workflow and/or
// prompt, validated. Untrusted input: sizes are capped, shapes checked with messages that say what and where,
// and nothing throws past this function.
import type { ApiPrompt } from '../comfy/types';
import type { ImportResult, ImportSource, UiWorkflow } from './types';
import { utf8 } from './bytes';
import { describeKind, detectKind, type FileKind } from './detect';
import { webmTexts } from './ebml';
import { flacTexts } from './flac';
import { mp4Texts } from './isobmff';
import { type JsonResult, parseLenientJson } from './lenient-json';
import { pngTexts } from './png';
import { asApiPrompt, asUiWorkflow, checkApiPrompt, checkUiWorkflow, looksLikeApiPrompt, looksLikeUiWorkflow } from './schema';
import { webpTexts } from './webp';

/** Largest media file read (videos carry their metadata in a header or trailer of a file of any size). */
export const MAX_FILE_BYTES = 512 * 1024 * 1024;
/** Largest JSON text parsed: the biggest real workflows are a few MB. */
export const MAX_JSON_BYTES = 64 * 1024 * 1024;

export async function importWorkflowFile(bytes: Uint8Array, fileName = 'file'): Promise<ImportResult> {
	try {
		return await importBytes(bytes, fileName);
	} catch (err) {
		return { ok: false, error: `${fileName} could not be read: ${err instanceof Error ? err.message : String(err)}` };
	}
}

async function importBytes(bytes: Uint8Array, fileName: string): Promise<ImportResult> {
	if (!(bytes instanceof Uint8Array)) return { ok: false, error: "Nothing to import: expected the file's bytes." };
	if (bytes.length === 0) return { ok: false, error: 'The file is empty.', reason: { code: 'empty' } };
	if (bytes.length > MAX_FILE_BYTES) {
		return { ok: false, error: `The file is too large (${mb(bytes.length)} MB; at most ${mb(MAX_FILE_BYTES)} MB are read).`, reason: { code: 'too-large', sizeMb: mb(bytes.length), limitMb: mb(MAX_FILE_BYTES) } };
	}
	const kind = detectKind(bytes);
	if (kind === 'json') return importJson(bytes);
	if (kind === 'unknown') {
		return {
			ok: false,
			error: `"${fileName}" is not a ComfyUI workflow: expected a JSON workflow or a PNG, WebP, FLAC, MP4 or WebM file saved by ComfyUI.`,
			reason: { code: 'not-a-workflow-file' }
		};
	}
	const problems: string[] = [];
	return fromMetadata(kind, await metadataOf(kind, bytes, problems), problems);
}

const mb = (n: number) => (n / 1024 / 1024).toFixed(1).replace(/\.0$/, '');

async function metadataOf(kind: FileKind, b: Uint8Array, problems: string[]): Promise<Record<string, string>> {
	switch (kind) {
		case 'png':
			return pngTexts(b, problems);
		case 'webp':
			return webpTexts(b);
		case 'flac':
			return flacTexts(b);
		case 'mp4':
			return mp4Texts(b);
		default:
			return webmTexts(b);
	}
}

function importJson(bytes: Uint8Array): ImportResult {
	if (bytes.length > MAX_JSON_BYTES) {
		return { ok: false, error: `The JSON file is too large (${mb(bytes.length)} MB; a workflow may be at most ${mb(MAX_JSON_BYTES)} MB).`, reason: { code: 'too-large', sizeMb: mb(bytes.length), limitMb: mb(MAX_JSON_BYTES) } };
	}
	const parsed = parseLenientJson(utf8(bytes));
	if (!parsed.ok) return { ok: false, error: `The file is not valid JSON: ${parsed.error}`, reason: { code: 'invalid-json', detail: parsed.error } };
	const value = parsed.value;
	if (looksLikeUiWorkflow(value)) {
		const err = checkUiWorkflow(value);
		return err ? { ok: false, error: err } : { ok: true, source: 'ui-json', workflow: asUiWorkflow(value), warnings: [] };
	}
	const prompt = unwrapPrompt(value);
	if (looksLikeApiPrompt(prompt)) {
		const err = checkApiPrompt(prompt);
		if (err) return { ok: false, error: err };
		const workflow = bodyWorkflow(value);
		return { ok: true, source: 'api-json', prompt: asApiPrompt(prompt), ...(workflow ? { workflow } : {}), warnings: [] };
	}
	return {
		ok: false,
		error: 'This JSON is not a ComfyUI workflow: it has neither "nodes" (a workflow saved from the editor) nor nodes with a "class_type" (an API-format prompt).',
		reason: { code: 'json-not-a-workflow' }
	};
}

/** The UI workflow a POST /prompt body carries in extra_data.extra_pnginfo.workflow, when valid. */
function bodyWorkflow(value: unknown): UiWorkflow | undefined {
	const extra = (value as { extra_data?: { extra_pnginfo?: { workflow?: unknown } } }).extra_data;
	const workflow = extra?.extra_pnginfo?.workflow;
	return looksLikeUiWorkflow(workflow) && !checkUiWorkflow(workflow) ? asUiWorkflow(workflow) : undefined;
}

/** The body of a POST /prompt ({prompt, client_id…}) holds the API prompt one level down. */
function unwrapPrompt(value: unknown): unknown {
	if (value && typeof value === 'object' && 'prompt' in value && !('class_type' in value)) {
		const inner = (value as { prompt: unknown }).prompt;
		if (looksLikeApiPrompt(inner)) return inner;
	}
	return value;
}

const SOURCE: Record<string, ImportSource> = { png: 'png', webp: 'webp', flac: 'flac', mp4: 'mp4', webm: 'webm' };
const FORMAT = { png: 'PNG', webp: 'WebP', flac: 'FLAC', mp4: 'MP4', webm: 'WebM' } as const;

type Parsed = JsonResult | undefined;

/**
 * The workflow and prompt a media file carries: `workflow` / `prompt` keys, else a legacy `comment` holding the
 * workflow itself or an object with workflow and prompt (VideoHelperSuite), whose members may be JSON strings.
 */
function embedded(texts: Record<string, string>): { workflow: Parsed; prompt: Parsed } {
	const parse = (t: string | undefined): Parsed =>
		t === undefined ? undefined : t.length > MAX_JSON_BYTES ? { ok: false, error: `it is larger than ${mb(MAX_JSON_BYTES)} MB` } : parseLenientJson(t);
	if (texts.workflow !== undefined || texts.prompt !== undefined) return { workflow: parse(texts.workflow), prompt: parse(texts.prompt) };
	const comment = parse(texts.comment);
	if (!comment?.ok || !comment.value || typeof comment.value !== 'object') return { workflow: undefined, prompt: undefined };
	if (looksLikeUiWorkflow(comment.value)) return { workflow: comment, prompt: undefined };
	const member = (v: unknown): Parsed => (v === undefined ? undefined : typeof v === 'string' ? parseLenientJson(v) : { ok: true, value: v });
	const { workflow, prompt } = comment.value as { workflow?: unknown; prompt?: unknown };
	return { workflow: member(workflow), prompt: member(prompt) };
}

function fromMetadata(kind: FileKind, texts: Record<string, string>, problems: string[]): ImportResult {
	const what = describeKind(kind);
	const warnings: string[] = problems.map((p) => `${what}: ${p}.`);
	let workflow: UiWorkflow | undefined;
	let prompt: ApiPrompt | undefined;
	const found = embedded(texts);

	if (found.workflow) {
		const parsed = found.workflow;
		const err = !parsed.ok ? `it is not valid JSON (${parsed.error})` : looksLikeUiWorkflow(parsed.value) ? checkUiWorkflow(parsed.value) : 'it is not a workflow';
		if (parsed.ok && !err) workflow = asUiWorkflow(parsed.value);
		else warnings.push(`${what}'s embedded workflow could not be used: ${err}`);
	}
	if (found.prompt) {
		const parsed = found.prompt;
		const err = !parsed.ok ? `it is not valid JSON (${parsed.error})` : checkApiPrompt(parsed.value);
		if (parsed.ok && !err) prompt = asApiPrompt(parsed.value);
		else warnings.push(`${what}'s embedded prompt could not be used: ${err}`);
	}
	if (!workflow && !prompt) {
		const detail = warnings.join(' ');
		return {
			ok: false,
			error: `${what} has no ComfyUI workflow in it (it was not saved by ComfyUI, or its metadata was removed).${detail ? ` ${detail}` : ''}`,
			reason: { code: 'no-embedded-workflow', format: FORMAT[kind as keyof typeof FORMAT], ...(detail ? { detail } : {}) }
		};
	}
	return { ok: true, source: SOURCE[kind], ...(workflow ? { workflow } : {}), ...(prompt ? { prompt } : {}), warnings };
}
