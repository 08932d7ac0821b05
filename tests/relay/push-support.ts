// A phone's side of Web Push for the relay's tests: a subscriber key pair and auth secret as a browser makes them,
// the fake push service's record of what the relay sent, and the receiving end of RFC 8291 (decryption) and
// RFC 8292 (checking the VAPID JWT), written here from the RFCs rather than borrowed from the relay's code.
import { call } from './support';

export const PUSH_ORIGIN = 'http://127.0.0.1:18190';

const encoder = new TextEncoder();

function b64url(bytes: ArrayBuffer | Uint8Array): string {
	let binary = '';
	for (const b of new Uint8Array(bytes)) binary += String.fromCharCode(b);
	return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function fromB64url(text: string): Uint8Array {
	const plain = text.replace(/-/g, '+').replace(/_/g, '/');
	return Uint8Array.from(atob(plain + '='.repeat((4 - (plain.length % 4)) % 4)), (c) => c.charCodeAt(0));
}

export interface Subscriber {
	endpoint: string;
	json: { endpoint: string; keys: { p256dh: string; auth: string } };
	privateKey: CryptoKey;
	publicRaw: Uint8Array;
	auth: Uint8Array;
}

let counter = 0;

/** `gone` makes the fake service answer 410, as for a subscription the browser dropped; `redirect` a 307. */
export async function newSubscriber(opts: { gone?: boolean; redirect?: boolean } = {}): Promise<Subscriber> {
	const pair = (await crypto.subtle.generateKey({ name: 'ECDH', namedCurve: 'P-256' }, true, ['deriveBits'])) as CryptoKeyPair;
	const publicRaw = new Uint8Array((await crypto.subtle.exportKey('raw', pair.publicKey)) as ArrayBuffer);
	const auth = crypto.getRandomValues(new Uint8Array(16));
	const kind = opts.gone ? 'gone' : opts.redirect ? 'redirect' : 'push';
	const endpoint = `${PUSH_ORIGIN}/${kind}/sub-${Date.now()}-${++counter}`;
	return { endpoint, json: { endpoint, keys: { p256dh: b64url(publicRaw), auth: b64url(auth) } }, privateKey: pair.privateKey, publicRaw, auth };
}

export function putSubscription(token: string | undefined, body: unknown, address?: string): Promise<Response> {
	return call('/relay/push/subscription', { method: 'PUT', bearer: token, address, body: typeof body === 'string' ? body : JSON.stringify(body) });
}

export interface RecordedPush {
	headers: Record<string, string>;
	body: Uint8Array;
}

export async function recordedPushes(endpoint: string): Promise<RecordedPush[]> {
	const path = new URL(endpoint).pathname;
	const res = await fetch(`${PUSH_ORIGIN}/recorded?path=${encodeURIComponent(path)}`);
	const list = (await res.json()) as { headers: Record<string, string>; body: string }[];
	return list.map((r) => ({ headers: r.headers, body: Uint8Array.from(atob(r.body), (c) => c.charCodeAt(0)) }));
}

export async function waitForPushes(endpoint: string, count: number, timeoutMs = 10_000): Promise<RecordedPush[]> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const pushes = await recordedPushes(endpoint);
		if (pushes.length >= count || Date.now() > deadline) return pushes;
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
}

async function hkdfBits(salt: Uint8Array, ikm: ArrayBuffer | Uint8Array, info: Uint8Array, bytes: number): Promise<ArrayBuffer> {
	const key = await crypto.subtle.importKey('raw', ikm, 'HKDF', false, ['deriveBits']);
	return crypto.subtle.deriveBits({ name: 'HKDF', hash: 'SHA-256', salt, info }, key, bytes * 8);
}

function join(...parts: Uint8Array[]): Uint8Array {
	const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
	parts.reduce((offset, p) => (out.set(p, offset), offset + p.length), 0);
	return out;
}

/** RFC 8291 §3-4 from the user agent's side: the plaintext of a single-record aes128gcm body. */
export async function decryptPush(body: Uint8Array, subscriber: Subscriber): Promise<string> {
	const salt = body.slice(0, 16);
	const recordSize = new DataView(body.buffer, body.byteOffset).getUint32(16);
	const idLength = body[20];
	const senderPublic = body.slice(21, 21 + idLength);
	const ciphertext = body.slice(21 + idLength);
	if (idLength !== 65 || ciphertext.length > recordSize) throw new Error(`bad header: idlen ${idLength}, rs ${recordSize}`);
	const senderKey = await crypto.subtle.importKey('raw', senderPublic, { name: 'ECDH', namedCurve: 'P-256' }, false, []);
	const ecdh = { name: 'ECDH', public: senderKey } as unknown as SubtleCryptoDeriveKeyAlgorithm;
	const shared = await crypto.subtle.deriveBits(ecdh, subscriber.privateKey, 256);
	const ikm = await hkdfBits(subscriber.auth, shared, join(encoder.encode('WebPush: info\0'), subscriber.publicRaw, senderPublic), 32);
	const cek = await hkdfBits(salt, ikm, encoder.encode('Content-Encoding: aes128gcm\0'), 16);
	const nonce = await hkdfBits(salt, ikm, encoder.encode('Content-Encoding: nonce\0'), 12);
	const key = await crypto.subtle.importKey('raw', cek, 'AES-GCM', false, ['decrypt']);
	const padded = new Uint8Array(await crypto.subtle.decrypt({ name: 'AES-GCM', iv: new Uint8Array(nonce) }, key, ciphertext));
	let end = padded.length - 1;
	while (end >= 0 && padded[end] === 0) end--;
	if (padded[end] !== 0x02) throw new Error('no last-record delimiter');
	return new TextDecoder().decode(padded.slice(0, end));
}

/** RFC 8292: verifies `vapid t=…, k=…` with k itself (the test compares k with the relay's published key). */
export async function checkVapid(authorization: string): Promise<{ k: string; claims: { aud: string; exp: number; sub: string }; valid: boolean }> {
	const match = /^vapid t=([^,\s]+),\s*k=([A-Za-z0-9_-]+)$/.exec(authorization);
	if (!match) throw new Error(`not a vapid header: ${authorization}`);
	const [header, payload, signature] = match[1].split('.');
	const publicKey = await crypto.subtle.importKey('raw', fromB64url(match[2]), { name: 'ECDSA', namedCurve: 'P-256' }, false, ['verify']);
	const valid = await crypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, publicKey, fromB64url(signature), encoder.encode(`${header}.${payload}`));
	const claims = JSON.parse(new TextDecoder().decode(fromB64url(payload))) as { aud: string; exp: number; sub: string };
	const alg = (JSON.parse(new TextDecoder().decode(fromB64url(header))) as { alg: string }).alg;
	return { k: match[2], claims, valid: valid && alg === 'ES256' };
}
