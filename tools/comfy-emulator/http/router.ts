// A small router with aiohttp's response habits: every route exists as /X and /api/X, JSON bodies are
// `application/json; charset=utf-8`, and most failures are bare status codes with an empty body.
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';

export interface Request {
	method: string;
	url: URL;
	headers: IncomingHttpHeaders;
	params: Record<string, string>;
	/** The body, at most the upload limit; throws BodyTooLarge beyond it. */
	body(): Promise<Buffer>;
}

export interface Response {
	status: number;
	headers?: Record<string, string>;
	body?: string | Uint8Array;
}

export type Handler = (req: Request) => Promise<Response> | Response;

export class BodyTooLarge extends Error {
	constructor(
		readonly limit: number,
		readonly actual: number
	) {
		super(`Maximum request body size ${limit} exceeded, actual body size ${actual}`);
	}
}

export function json(value: unknown, status = 200): Response {
	return { status, headers: { 'Content-Type': 'application/json; charset=utf-8' }, body: JSON.stringify(value) };
}

export function jsonText(text: string, status = 200): Response {
	return { status, headers: { 'Content-Type': 'application/json; charset=utf-8' }, body: text };
}

export function text(value: string, status = 200): Response {
	return { status, headers: { 'Content-Type': 'text/plain; charset=utf-8' }, body: value };
}

export function empty(status = 200): Response {
	return { status, headers: { 'Content-Type': 'application/octet-stream' }, body: '' };
}

/** What aiohttp answers for an unhandled exception (e.g. request.json() on malformed JSON). */
export function internalError(): Response {
	return text('500 Internal Server Error\n\nServer got itself in trouble', 500);
}

/** Parses a JSON body the way `await request.json()` would; null means "the server would crash" (→ 500). */
export async function readJson(req: Request): Promise<{ value: unknown } | null> {
	const raw = (await req.body()).toString('utf8');
	try {
		return { value: JSON.parse(raw) };
	} catch {
		return null;
	}
}

export function readBody(message: IncomingMessage, limit: number): Promise<Buffer> {
	return new Promise((resolve, reject) => {
		const declared = Number(message.headers['content-length'] ?? 0);
		if (declared > limit) return reject(new BodyTooLarge(limit, declared));
		const chunks: Buffer[] = [];
		let size = 0;
		message.on('data', (chunk: Buffer) => {
			size += chunk.length;
			if (size > limit) {
				message.removeAllListeners('data');
				message.resume();
				reject(new BodyTooLarge(limit, size));
				return;
			}
			chunks.push(chunk);
		});
		message.on('end', () => resolve(Buffer.concat(chunks)));
		message.on('error', reject);
	});
}

interface Route {
	method: string;
	pattern: RegExp;
	names: string[];
	handler: Handler;
}

export class Router {
	#routes: Route[] = [];

	/** Registers `path` and `/api` + `path`. `{name}` matches one segment, `{name:.*}` the rest of the path. */
	add(method: string, path: string, handler: Handler): this {
		return this.#register(method, path, handler, ['', '/api']);
	}

	/** Registers `path` only (routes the server itself declares under /api, like /api/jobs). */
	addExact(method: string, path: string, handler: Handler): this {
		return this.#register(method, path, handler, ['']);
	}

	#register(method: string, path: string, handler: Handler, prefixes: string[]): this {
		const names: string[] = [];
		const source = path.replace(/\{(\w+)(:\.\*)?\}/g, (_, name: string, rest?: string) => {
			names.push(name);
			return rest ? '(.+)' : '([^/]+)';
		});
		for (const prefix of prefixes) {
			this.#routes.push({ method, pattern: new RegExp(`^${prefix}${source}$`), names, handler });
		}
		return this;
	}

	match(method: string, pathname: string): { handler: Handler; params: Record<string, string> } | null {
		for (const route of this.#routes) {
			if (route.method !== method && !(route.method === 'GET' && method === 'HEAD')) continue;
			const m = route.pattern.exec(pathname);
			if (!m) continue;
			const params: Record<string, string> = {};
			route.names.forEach((name, i) => (params[name] = decodeURIComponent(m[i + 1])));
			return { handler: route.handler, params };
		}
		return null;
	}
}
