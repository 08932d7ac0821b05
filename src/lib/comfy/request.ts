// One HTTP exchange with ComfyUI: timeout, caller abort, and every failure mapped to a ComfyError.
import { ComfyError } from './errors';
import { parseJsonLenient } from './json';
import type { NodeErrors, PromptErrorBody } from './types';

export interface RequestConfig {
	fetch: typeof fetch;
	headers: Record<string, string>;
	timeoutMs: number;
}

export interface RequestInput {
	method?: 'GET' | 'POST' | 'DELETE';
	url: string;
	json?: unknown;
	body?: BodyInit;
	signal?: AbortSignal;
	timeoutMs?: number;
}

/** Sends the request and returns the 2xx response; anything else becomes a ComfyError. */
export async function send(config: RequestConfig, input: RequestInput): Promise<Response> {
	const controller = new AbortController();
	const timeoutMs = input.timeoutMs ?? config.timeoutMs;
	let timedOut = false;
	const timer = setTimeout(() => {
		timedOut = true;
		controller.abort();
	}, timeoutMs);
	const onCallerAbort = () => controller.abort();
	if (input.signal?.aborted) controller.abort();
	input.signal?.addEventListener('abort', onCallerAbort, { once: true });
	const headers: Record<string, string> = { ...config.headers };
	let body = input.body;
	if (input.json !== undefined) {
		headers['Content-Type'] = 'application/json';
		body = JSON.stringify(input.json);
	}
	try {
		const response = await config.fetch(input.url, { method: input.method ?? 'GET', headers, body, signal: controller.signal });
		if (!response.ok) throw await httpError(response, input.url);
		return response;
	} catch (error) {
		if (error instanceof ComfyError) throw error;
		if (timedOut) throw new ComfyError('timeout', `No answer from ${describeUrl(input.url)} within ${timeoutMs} ms`, { cause: error });
		if (input.signal?.aborted) throw new ComfyError('aborted', 'Request cancelled', { cause: error });
		const reason = error instanceof Error ? error.message : String(error);
		throw new ComfyError('network', `Cannot reach ${describeUrl(input.url)}: ${reason}`, { cause: error });
	} finally {
		clearTimeout(timer);
		input.signal?.removeEventListener('abort', onCallerAbort);
	}
}

/** Reads a JSON body, tolerating Python's NaN/Infinity; a body that is not JSON is a `bad-response`. */
export async function readJson(response: Response, url: string): Promise<unknown> {
	const text = await readBody(response, url);
	try {
		return parseJsonLenient(text);
	} catch {
		throw new ComfyError('bad-response', `${describeUrl(url)} did not answer with JSON: ${snippet(text)}`, {
			status: response.status
		});
	}
}

async function readBody(response: Response, url: string): Promise<string> {
	try {
		return await response.text();
	} catch (error) {
		throw new ComfyError('network', `Connection lost while reading ${describeUrl(url)}`, { cause: error });
	}
}

// Only POST /prompt answers errors with JSON; every other route sends a bare status or aiohttp's text page.
async function httpError(response: Response, url: string): Promise<ComfyError> {
	const text = await response.text().catch(() => '');
	const status = response.status;
	let parsed: unknown = null;
	try {
		parsed = text ? JSON.parse(text) : null;
	} catch {
		parsed = null;
	}
	if (isRejection(parsed)) {
		const error: PromptErrorBody = {
			type: String(parsed.error.type ?? ''),
			message: parsed.error.message,
			details: String(parsed.error.details ?? ''),
			extra_info: parsed.error.extra_info ?? {}
		};
		const nodeErrors = typeof parsed.node_errors === 'object' && parsed.node_errors !== null ? parsed.node_errors : {};
		return new ComfyError('rejected', error.message || error.type, { status, error, nodeErrors });
	}
	const detail = text.trim() ? `: ${snippet(text)}` : '';
	return new ComfyError('http', `${describeUrl(url)} answered ${status} ${response.statusText}${detail}`.trim(), { status });
}

interface RejectionShape {
	error: { type?: unknown; message: string; details?: unknown; extra_info?: Record<string, unknown> };
	node_errors?: NodeErrors | null;
}

function isRejection(v: unknown): v is RejectionShape {
	if (typeof v !== 'object' || v === null) return false;
	const error = (v as { error?: unknown }).error;
	return typeof error === 'object' && error !== null && typeof (error as { message?: unknown }).message === 'string';
}

export function describeUrl(url: string): string {
	try {
		const u = new URL(url);
		return `${u.host}${u.pathname}`;
	} catch {
		return url.split('?')[0];
	}
}

function snippet(text: string): string {
	const flat = text.replace(/\s+/g, ' ').trim();
	return flat.length > 200 ? `${flat.slice(0, 200)}…` : flat;
}
