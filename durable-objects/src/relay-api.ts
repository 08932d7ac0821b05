// The ComfyUI calls the Durable Object answers itself: queueing a prompt (it sets its own clientId, so events come
// back to it), interrupting, reading and pruning the queue, reading history and jobs, cancelling jobs by id (newer
// servers). Bodies are small and bounded, and only their checked parts are forwarded.
import type { ApiRoute } from './allowlist';
import { badRequest, readLimited, tooLarge } from './responses';
import { passThrough, upstreamFetch, type UpstreamConfig } from './upstream-http';
import { randomId } from '../../src/lib/comfy/ids';
import { CANONICAL_UUID as JOB_ID } from '../../src/lib/comfy/job-types';
import { pushTitle } from './push-send';

export interface RelayApiContext {
	config: UpstreamConfig;
	clientId: string;
	/** Waits (bounded) for the upstream socket so the first events of a new prompt are not missed. */
	ensureLive(): Promise<void>;
	/** `title`: the phone's label for the run (`extra_data.comfy_pocket_title`), for the push notification. */
	trackJob(promptId: string, deviceId: string, title?: string): void;
	untrackJob(promptId: string): void;
	/** After ComfyUI accepted a prompt: it broadcasts `status` to every registered socket, ours included. */
	expectStatus(): void;
	/** ComfyUI accepted a device's prompt: every phone learns who queued it. */
	queued?(promptId: string, deviceId: string, title?: string): void;
	/** ComfyUI accepted a device's interrupt or queue delete for these prompts: every phone learns who stopped them. */
	stopped?(promptIds: string[], deviceId: string): void;
}

const PROMPT_ID = /^[A-Za-z0-9_.:-]{1,128}$/;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

async function jsonBody(request: Request, route: ApiRoute): Promise<Obj | Response> {
	const text = await readLimited(request, route.maxBodyBytes);
	if (text === null) return tooLarge();
	try {
		const value: unknown = JSON.parse(text);
		return isObj(value) ? value : badRequest('The body must be a JSON object.');
	} catch {
		return badRequest('The body is not valid JSON.');
	}
}

function postJson(ctx: RelayApiContext, path: string, body: unknown): Promise<Response> {
	return upstreamFetch(ctx.config, path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
}

export async function handleRelayApi(ctx: RelayApiContext, route: ApiRoute, request: Request, deviceId: string): Promise<Response> {
	switch (route.name) {
		case 'prompt':
			return queuePrompt(ctx, route, request, deviceId);
		case 'interrupt': {
			const body = await jsonBody(request, route);
			if (body instanceof Response) return body;
			// Without a prompt_id ComfyUI interrupts whatever runs, possibly someone else's prompt.
			if (typeof body.prompt_id !== 'string' || !PROMPT_ID.test(body.prompt_id)) return badRequest('interrupt needs the prompt_id to stop.');
			const res = await postJson(ctx, route.upstreamPath, { prompt_id: body.prompt_id });
			if (res.ok) ctx.stopped?.([body.prompt_id], deviceId);
			return passThrough(res);
		}
		case 'queue-delete': {
			const body = await jsonBody(request, route);
			if (body instanceof Response) return body;
			const ids = body.delete;
			if (!Array.isArray(ids) || ids.length > 100 || !ids.every((id) => typeof id === 'string' && PROMPT_ID.test(id))) {
				return badRequest('Only {"delete": [prompt ids]} is accepted through the relay.');
			}
			const res = await postJson(ctx, route.upstreamPath, { delete: ids });
			if (res.ok) ctx.stopped?.(ids as string[], deviceId);
			return passThrough(res);
		}
		case 'job-cancel':
			// Cancel by id on servers with the job API; the phone's (small) body is read but nothing of it is forwarded.
			if ((await readLimited(request, route.maxBodyBytes)) === null) return tooLarge();
			return passThrough(await postJson(ctx, route.upstreamPath, {}));
		case 'jobs-cancel': {
			const body = await jsonBody(request, route);
			if (body instanceof Response) return body;
			const ids = body.job_ids;
			if (!Array.isArray(ids) || ids.length === 0 || ids.length > 100 || !ids.every((id) => typeof id === 'string' && JOB_ID.test(id))) {
				return badRequest('Only {"job_ids": [1-100 job ids]} is accepted through the relay.');
			}
			return passThrough(await postJson(ctx, route.upstreamPath, { job_ids: ids }));
		}
		default:
			return passThrough(await upstreamFetch(ctx.config, route.upstreamPath));
	}
}

async function queuePrompt(ctx: RelayApiContext, route: ApiRoute, request: Request, deviceId: string): Promise<Response> {
	const body = await jsonBody(request, route);
	if (body instanceof Response) return body;
	if (!isObj(body.prompt)) return badRequest('The body needs a "prompt" object (API format).');
	if (body.prompt_id !== undefined && (typeof body.prompt_id !== 'string' || !PROMPT_ID.test(body.prompt_id))) {
		return badRequest('prompt_id must be 1-128 letters, digits, "_", "-", "." or ":".');
	}
	const promptId = typeof body.prompt_id === 'string' ? body.prompt_id : randomId();
	const extraData = isObj(body.extra_data) ? { ...body.extra_data } : {};
	const outgoing: Obj = { ...body, prompt_id: promptId, client_id: ctx.clientId, extra_data: { ...extraData, client_id: ctx.clientId } };
	await ctx.ensureLive();
	const title = pushTitle(extraData.comfy_pocket_title);
	ctx.trackJob(promptId, deviceId, title);
	const res = await postJson(ctx, route.upstreamPath, outgoing);
	if (res.ok) {
		ctx.queued?.(promptId, deviceId, title);
		ctx.expectStatus();
	} else ctx.untrackJob(promptId);
	return passThrough(res);
}
