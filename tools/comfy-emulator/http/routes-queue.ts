// POST/GET /prompt, /queue, /history, /interrupt, /free: queueing and its bookkeeping (comfyui-protocol.md §1.1–1.6).
import { CANONICAL_UUID } from '../../../src/lib/comfy/job-types';
import type { ExtraData, QueueItem } from '../../../src/lib/comfy/types';
import type { EmulatorCore } from '../core';
import { pyFloat } from '../py';
import { validatePrompt } from '../validation';
import { empty, internalError, json, readJson, type Request, type Response, type Router } from './router';

/** A client prompt_id that is not a canonical lowercase UUID (2026 profile; server.py validate_job_id). */
const INVALID_PROMPT_ID = {
	type: 'invalid_prompt_id',
	message: 'prompt_id must be a valid UUID',
	details: 'prompt_id must be a UUID string in canonical lowercase hyphenated form; omit it to let the server generate one',
	extra_info: {}
};

/** Never stored with a queued prompt (the server pops them into a separate "sensitive" slot). */
const SENSITIVE_EXTRA_DATA_KEYS = ['auth_token_comfy_org', 'api_key_comfy_org'];

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function intParam(value: string | null): number | undefined | null {
	if (value === null) return undefined;
	return /^\s*[+-]?\d+\s*$/.test(value) ? Number(value) : null;
}

/** POST /queue and POST /history share one body: `{"clear": true}` and/or `{"delete": [ids]}`; always 200. */
async function clearOrDelete(req: Request, clear: () => void, remove: (id: string) => void): Promise<Response> {
	const parsed = await readJson(req);
	if (!parsed || !isRecord(parsed.value)) return internalError();
	const body = parsed.value;
	if ('clear' in body && body.clear) clear();
	if ('delete' in body && Array.isArray(body.delete)) for (const id of body.delete) remove(String(id));
	return empty();
}

export function queueRoutes(router: Router, core: EmulatorCore): void {
	router.add('POST', '/prompt', async (req) => {
		const parsed = await readJson(req);
		if (!parsed || !isRecord(parsed.value)) return internalError();
		const body = parsed.value;
		let number: number;
		if ('number' in body) {
			// float(number) in the server: what Python cannot convert (null, a list, "abc") is an unhandled 500.
			try {
				number = pyFloat(body.number);
			} catch {
				return internalError();
			}
			if (!Number.isFinite(number)) return internalError();
		} else {
			number = body.front ? -core.nextNumber : core.nextNumber;
			core.nextNumber++;
		}
		if (!('prompt' in body)) {
			const error = { type: 'no_prompt', message: 'No prompt provided', details: 'No prompt provided', extra_info: {} };
			return json({ error, node_errors: {} }, 400);
		}
		if (!isRecord(body.prompt)) return internalError();
		let promptId: string;
		if (!core.profile.modern) promptId = 'prompt_id' in body ? String(body.prompt_id) : crypto.randomUUID();
		else if (body.prompt_id === undefined || body.prompt_id === null) promptId = crypto.randomUUID();
		else if (typeof body.prompt_id === 'string' && CANONICAL_UUID.test(body.prompt_id)) promptId = body.prompt_id;
		else return json({ error: INVALID_PROMPT_ID, node_errors: {} }, 400);
		const inputImages = core.files.inputImages();
		const result = validatePrompt(body.prompt, body.partial_execution_targets ?? null, {
			def: (cls) => core.catalog.def(cls, inputImages),
			imageExists: (value) => core.files.existsAnnotated(value),
			modern: core.profile.modern
		});
		if (!result.ok) return json({ error: result.error, node_errors: result.nodeErrors }, 400);
		const extraData: ExtraData = isRecord(body.extra_data) ? { ...body.extra_data } : {};
		if ('client_id' in body) extraData.client_id = body.client_id as string;
		for (const key of SENSITIVE_EXTRA_DATA_KEYS) delete extraData[key];
		if (core.profile.modern) extraData.create_time = Date.now();
		const item: QueueItem = [number, promptId, result.prompt, extraData, result.outputs];
		core.queue.put(item);
		return json({ prompt_id: promptId, number, node_errors: result.nodeErrors });
	});

	router.add('GET', '/prompt', () => json(core.hub.statusInfo()));

	router.add('GET', '/queue', () => json({ queue_running: core.queue.running(), queue_pending: core.queue.pending() }));

	router.add('POST', '/queue', (req) => clearOrDelete(req, () => core.queue.wipe(), (id) => core.queue.delete(id)));

	router.add('GET', '/history', (req) => {
		const maxItems = intParam(req.url.searchParams.get('max_items'));
		const offset = intParam(req.url.searchParams.get('offset'));
		if (maxItems === null || offset === null) return internalError();
		return json(core.history.list(maxItems, offset ?? -1));
	});

	router.add('GET', '/history/{id}', (req) => json(core.history.one(req.params.id)));

	router.add('POST', '/history', (req) => clearOrDelete(req, () => core.history.clear(), (id) => core.history.delete(id)));

	router.add('POST', '/interrupt', async (req) => {
		const parsed = await readJson(req);
		const body = parsed && isRecord(parsed.value) ? parsed.value : {};
		const promptId = body.prompt_id;
		if (promptId) {
			if (core.queue.isRunning(String(promptId))) core.executor.interrupt();
		} else {
			core.executor.interrupt();
		}
		return empty();
	});

	// Model unloading has nothing to act on here; the server answers 200 either way.
	router.add('POST', '/free', () => empty());
}
