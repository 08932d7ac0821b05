// The few fixed answers of the relay. Refusals carry no detail that would help a stranger.
import { rateLimitKey } from './rate-limit';

export function unauthorized(): Response {
	return new Response(null, { status: 401, headers: { 'WWW-Authenticate': 'Bearer' } });
}

export function notFound(): Response {
	return new Response(null, { status: 404 });
}

export function tooMany(retryAfterMs: number): Response {
	return new Response(null, { status: 429, headers: { 'Retry-After': String(Math.max(1, Math.ceil(retryAfterMs / 1000))) } });
}

export function tooLarge(): Response {
	return Response.json({ error: 'too-large', message: 'The request body is larger than the relay accepts for this route.' }, { status: 413 });
}

export function badRequest(message: string): Response {
	return Response.json({ error: 'bad-request', message }, { status: 400 });
}

export function bearerOf(request: Request): string | null {
	const header = request.headers.get('Authorization') ?? '';
	const match = /^Bearer\s+(\S+)$/i.exec(header);
	return match ? match[1] : null;
}

/** The failed-attempt limiter's key for this client (Cloudflare sets CF-Connecting-IP; clients cannot forge it). */
export function clientAddress(request: Request): string {
	return rateLimitKey(request.headers.get('CF-Connecting-IP') ?? 'local');
}

/**
 * Reads at most `max` bytes of a body, then stops reading and cancels the rest, so nothing of it is left pending
 * once the request is answered.
 */
export async function readPrefix(request: Request, max: number): Promise<Uint8Array> {
	if (!request.body) return new Uint8Array(0);
	const reader = request.body.getReader();
	const chunks: Uint8Array[] = [];
	let total = 0;
	for (;;) {
		const { done, value } = await reader.read();
		if (done) break;
		chunks.push(value);
		total += value.byteLength;
		if (total >= max) {
			await reader.cancel();
			break;
		}
	}
	const all = new Uint8Array(total);
	let offset = 0;
	for (const c of chunks) {
		all.set(c, offset);
		offset += c.byteLength;
	}
	return all.subarray(0, Math.min(total, max));
}

/** Reads a body as text, refusing (null) past `limit` bytes even when Content-Length lies or is missing. */
export async function readLimited(request: Request, limit: number): Promise<string | null> {
	const declared = Number(request.headers.get('Content-Length') ?? '0');
	if (declared > limit) {
		await request.body?.cancel();
		return null;
	}
	const bytes = await readPrefix(request, limit + 1);
	return bytes.byteLength > limit ? null : new TextDecoder().decode(bytes);
}
