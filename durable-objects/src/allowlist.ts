// Which ComfyUI requests a phone may make through the relay, and where each one goes. Everything not listed
// here is answered 404. Free-form parts (ids, class names, file names) are decoded, checked and re-encoded, and
// the upstream URL is always built on the configured COMFY_URL, never on anything the client sent.

import { CANONICAL_UUID as JOB_ID } from '../../src/lib/comfy/job-types';

/** `relay`: handled by the Durable Object (it owns the clientId and tracks jobs); `stream`: by the stateless
 * Worker, which streams large bodies straight through without buffering them. */
export type ApiHandler = 'relay' | 'stream';

export interface ApiRoute {
	name: string;
	handler: ApiHandler;
	method: 'GET' | 'POST';
	/** Path and query to append to COMFY_URL, starting with `/api/`. */
	upstreamPath: string;
	maxBodyBytes: number;
}

export const MiB = 1024 * 1024;
export const LIMITS = { prompt: 8 * MiB, small: 64 * 1024, upload: 32 * MiB } as const;

const SAFE_ID = /^[A-Za-z0-9_.:-]{1,128}$/;

/** Control characters end strings early in C/Python file APIs and forge lines in logs. */
const CONTROL = /[\u0000-\u001f\u007f]/;
/** A segment of only dots and spaces: Windows trims trailing dots and spaces, so `.. ` and `...` can mean `..`. */
const DOTS_ONLY = /^[. ]*$/;

/**
 * A decoded path segment or query value that could not step outside the place it names. `file` also refuses `:`,
 * which on a Windows ComfyUI names a drive (`C:x` ignores the folder it is joined to) or an alternate data stream.
 */
function isSafeName(value: string, allowSlash: boolean, file = false): boolean {
	if (value.length === 0 || value.length > 512) return false;
	if (value.includes('\\') || CONTROL.test(value) || value.startsWith('/')) return false;
	if (!allowSlash && value.includes('/')) return false;
	if (file && value.includes(':')) return false;
	return !value.split('/').some((part) => DOTS_ONLY.test(part));
}

function decodeSegment(raw: string): string | null {
	try {
		return decodeURIComponent(raw);
	} catch {
		return null;
	}
}

function query(params: Record<string, string | undefined>): string {
	const entries = Object.entries(params).filter((e): e is [string, string] => e[1] !== undefined);
	return entries.length === 0 ? '' : `?${new URLSearchParams(entries).toString()}`;
}

function route(name: string, handler: ApiHandler, method: 'GET' | 'POST', upstreamPath: string, maxBodyBytes = 0): ApiRoute {
	return { name, handler, method, upstreamPath, maxBodyBytes };
}

const FIXED_GETS: Record<string, ApiHandler> = {
	'/queue': 'relay',
	'/object_info': 'stream',
	'/models': 'stream',
	'/system_stats': 'stream',
	'/features': 'stream',
	'/embeddings': 'stream'
};

/**
 * Classifies a phone's request. `path` is the URL path after `/relay/api` (already dot-segment-normalised by
 * the URL parser), with or without ComfyUI's own `/api` prefix. Returns null for anything not allowed.
 */
export function classifyApiRequest(method: string, path: string, search: URLSearchParams): ApiRoute | null {
	const p = path.startsWith('/api/') ? path.slice(4) : path;
	if (method === 'GET') return classifyGet(p, search);
	if (method === 'POST') return classifyPost(p);
	return null;
}

const JOB_STATUSES = new Set(['pending', 'in_progress', 'completed', 'failed', 'cancelled']);
/** An asset hash, the name newer servers give files in LoadImage combos and resolve in /view. */
const ASSET_HASH = /^blake3:[0-9a-f]{64}$/;

function classifyPost(p: string): ApiRoute | null {
	const cancel = /^\/jobs\/([^/]+)\/cancel$/.exec(p);
	if (cancel) {
		const id = decodeSegment(cancel[1]);
		return id !== null && JOB_ID.test(id) ? route('job-cancel', 'relay', 'POST', `/api/jobs/${id}/cancel`, LIMITS.small) : null;
	}
	switch (p) {
		case '/jobs/cancel':
			return route('jobs-cancel', 'relay', 'POST', '/api/jobs/cancel', LIMITS.small);
		case '/prompt':
			return route('prompt', 'relay', 'POST', '/api/prompt', LIMITS.prompt);
		case '/interrupt':
			return route('interrupt', 'relay', 'POST', '/api/interrupt', LIMITS.small);
		case '/queue':
			return route('queue-delete', 'relay', 'POST', '/api/queue', LIMITS.small);
		case '/upload/image':
			return route('upload', 'stream', 'POST', '/api/upload/image', LIMITS.upload);
		default:
			return null;
	}
}

function classifyGet(p: string, search: URLSearchParams): ApiRoute | null {
	const fixed = FIXED_GETS[p];
	if (fixed) return route(p.slice(1), fixed, 'GET', `/api${p}`);
	const [, head, rest, extra] = p.split('/');
	if (extra !== undefined || rest === undefined) {
		if (p === '/view') return classifyView(search);
		if (p === '/jobs') return classifyJobList(search);
		if (p === '/history') return classifyHistoryList(search);
		if (p === '/userdata') return classifyUserdataList(search);
		return null;
	}
	const value = decodeSegment(rest);
	if (value === null) return null;
	switch (head) {
		case 'history':
			return SAFE_ID.test(value) && isSafeName(value, false) ? route('history', 'relay', 'GET', `/api/history/${encodeURIComponent(value)}`) : null;
		case 'jobs':
			return JOB_ID.test(value) ? route('job', 'relay', 'GET', `/api/jobs/${value}`) : null;
		case 'object_info':
			return isSafeName(value, false) ? route('object_info-class', 'stream', 'GET', `/api/object_info/${encodeURIComponent(value)}`) : null;
		case 'models':
			return /^[A-Za-z0-9_.-]{1,64}$/.test(value) && isSafeName(value, false)
				? route('models-folder', 'stream', 'GET', `/api/models/${encodeURIComponent(value)}`)
				: null;
		case 'userdata':
			return value.startsWith('workflows/') && isSafeName(value, true, true)
				? route('userdata-file', 'stream', 'GET', `/api/userdata/${encodeURIComponent(value)}`)
				: null;
		default:
			return null;
	}
}

const VIEW_TYPES = new Set(['output', 'input', 'temp']);

function classifyView(search: URLSearchParams): ApiRoute | null {
	const filename = search.get('filename');
	const subfolder = search.get('subfolder') ?? '';
	const type = search.get('type') ?? 'output';
	if (filename === null || !(ASSET_HASH.test(filename) || isSafeName(filename, false, true)) || !VIEW_TYPES.has(type)) return null;
	if (subfolder !== '' && !isSafeName(subfolder, true, true)) return null;
	const preview = search.get('preview') ?? undefined;
	const channel = search.get('channel') ?? undefined;
	if (preview !== undefined && !/^(webp|jpeg)(;\d{1,3})?$/.test(preview)) return null;
	if (channel !== undefined && !/^(rgba|rgb|a)$/.test(channel)) return null;
	return route('view', 'stream', 'GET', `/api/view${query({ filename, subfolder, type, preview, channel })}`);
}

/** GET /api/jobs: the query is rebuilt from the parameters the server knows, each checked; others are dropped. */
function classifyJobList(search: URLSearchParams): ApiRoute | null {
	const status = search.get('status') ?? undefined;
	const workflowId = search.get('workflow_id') ?? undefined;
	const sortBy = search.get('sort_by') ?? undefined;
	const sortOrder = search.get('sort_order') ?? undefined;
	const limit = search.get('limit') ?? undefined;
	const offset = search.get('offset') ?? undefined;
	if (status !== undefined && !status.split(',').every((s) => JOB_STATUSES.has(s))) return null;
	if (workflowId !== undefined && !SAFE_ID.test(workflowId)) return null;
	if (sortBy !== undefined && sortBy !== 'created_at' && sortBy !== 'execution_duration') return null;
	if (sortOrder !== undefined && sortOrder !== 'asc' && sortOrder !== 'desc') return null;
	if (limit !== undefined && !/^[1-9]\d{0,3}$/.test(limit)) return null;
	if (offset !== undefined && !/^\d{1,6}$/.test(offset)) return null;
	const q = { status, workflow_id: workflowId, sort_by: sortBy, sort_order: sortOrder, limit, offset };
	return route('jobs', 'relay', 'GET', `/api/jobs${query(q)}`);
}

/** The server's newest results (Server history): only `max_items` and `offset`, as numbers, are passed on. */
function classifyHistoryList(search: URLSearchParams): ApiRoute | null {
	const maxItems = search.get('max_items') ?? undefined;
	const offset = search.get('offset') ?? undefined;
	if (maxItems !== undefined && !/^[1-9]\d{0,4}$/.test(maxItems)) return null;
	if (offset !== undefined && !/^(-1|\d{1,6})$/.test(offset)) return null;
	return route('history-list', 'stream', 'GET', `/api/history${query({ max_items: maxItems, offset })}`);
}

function classifyUserdataList(search: URLSearchParams): ApiRoute | null {
	if (search.get('dir') !== 'workflows') return null;
	const flags: Record<string, string | undefined> = { dir: 'workflows' };
	for (const name of ['recurse', 'split', 'full_info']) {
		const value = search.get(name);
		if (value === null) continue;
		if (value !== 'true' && value !== 'false') return null;
		flags[name] = value;
	}
	return route('userdata-list', 'stream', 'GET', `/api/userdata${query(flags)}`);
}
