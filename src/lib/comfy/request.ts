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

/**
 * Sends the request and reads the 2xx response with `read`, all under one timeout (a body can stall as well as the
 * headers: /object_info is megabytes). Anything else becomes a ComfyError.
 */
export async function exchange<T>(config: RequestConfig, input: RequestInput, read: (response: Response) => Promise<T>): Promise<T> {
	const controller = new AbortController();
	const timeoutMs = input.timeoutMs ?? config.timeoutMs;
	let timedOut = false;
	let answered = false;
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
	const where = describeUrl(input.url);
	try {
		const response = await config.fetch(input.url, { method: input.method ?? 'GET', headers, body, signal: controller.signal });
		answered = true;
		if (!response.ok) throw await httpError(response, input.url);
		return await read(response);
	} catch (error) {
		if (error instanceof ComfyError) throw error;
		if (timedOut) throw new ComfyError('timeout', `No answer from ${where} within ${timeoutMs} ms`, { cause: error });
		if (input.signal?.aborted) throw new ComfyError('aborted', 'Request cancelled', { cause: error });
		const reason = error instanceof Error ? error.message : String(error);
		const message = answered ? `Connection lost while reading ${where}: ${reason}` : `Cannot reach ${where}: ${reason}`;
		throw new ComfyError('network', message, { cause: error });
	} finally {
		clearTimeout(timer);
		input.signal?.removeEventListener('abort', onCallerAbort);
	}
}

/** Reads a JSON body, tolerating Python's NaN/Infinity; a body that is not JSON is a `bad-response`. */
export async function readJson(response: Response, url: string): Promise<unknown> {
	const text = await response.text();
	try {
		return parseJsonLenient(text);
	} catch {
		throw new ComfyError('bad-response', `${describeUrl(url)} did not answer with JSON: ${snippet(text)}`, {
			status: response.status
		});
	}
}

/** For calls whose answer carries nothing (ComfyUI sends an empty 200). */
export async function ignoreBody(): Promise<void> {}

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
