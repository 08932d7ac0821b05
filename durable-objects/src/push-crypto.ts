// Web Push message encryption (RFC 8291, aes128gcm) and the VAPID header (RFC 8292), with WebCrypto only.
// @pushforge/builder 2.0.5 was tried first, but it still encrypts with the superseded pre-RFC "aesgcm" draft
// (Encryption and Crypto-Key headers), which browsers keep only for compatibility; so this is done by hand.
import { toBase64Url } from './crypto';

const encoder = new TextEncoder();
/** One record holds the whole payload: the relay's payloads are far below the 4 KiB every push service takes. */
const RECORD_SIZE = 4096;
const TAG_BYTES = 16;
const LAST_RECORD = 0x02;

export function concat(...parts: Uint8Array[]): Uint8Array {
	const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
	let offset = 0;
	for (const p of parts) {
		out.set(p, offset);
		offset += p.byteLength;
	}
	return out;
}

async function hkdf(salt: Uint8Array, ikm: Uint8Array | ArrayBuffer, info: Uint8Array, bytes: number): Promise<Uint8Array> {
	const key = await crypto.subtle.importKey('raw', ikm, 'HKDF', false, ['deriveBits']);
	return new Uint8Array(await crypto.subtle.deriveBits({ name: 'HKDF', hash: 'SHA-256', salt, info }, key, bytes * 8));
}

export interface PushTarget {
	/** The subscriber's ECDH public key, uncompressed (65 bytes). */
	p256dh: Uint8Array;
	/** The subscriber's authentication secret (16 bytes). */
	auth: Uint8Array;
}

/**
 * The aes128gcm body for one push message: header (salt, record size, sender key) then the single record. Every
 * message gets a fresh sender key pair and salt; `fixed` supplies them only for RFC 8291's known-answer example.
 */
export async function encryptPushPayload(plaintext: Uint8Array, target: PushTarget, fixed?: { sender: CryptoKeyPair; salt: Uint8Array }): Promise<Uint8Array> {
	if (plaintext.byteLength + 1 + TAG_BYTES > RECORD_SIZE) throw new Error('push payload too large for one record');
	const sender = fixed?.sender ?? ((await crypto.subtle.generateKey({ name: 'ECDH', namedCurve: 'P-256' }, true, ['deriveBits'])) as CryptoKeyPair);
	const senderPublic = new Uint8Array((await crypto.subtle.exportKey('raw', sender.publicKey)) as ArrayBuffer);
	const subscriberKey = await crypto.subtle.importKey('raw', target.p256dh, { name: 'ECDH', namedCurve: 'P-256' }, false, []);
	// workers-types spells the member `$public`; the runtime (like every WebCrypto) reads `public`.
	const ecdh = { name: 'ECDH', public: subscriberKey } as unknown as SubtleCryptoDeriveKeyAlgorithm;
	const shared = await crypto.subtle.deriveBits(ecdh, sender.privateKey, 256);
	const ikm = await hkdf(target.auth, shared, concat(encoder.encode('WebPush: info\0'), target.p256dh, senderPublic), 32);
	const salt = fixed?.salt ?? crypto.getRandomValues(new Uint8Array(16));
	const cek = await hkdf(salt, ikm, encoder.encode('Content-Encoding: aes128gcm\0'), 16);
	const nonce = await hkdf(salt, ikm, encoder.encode('Content-Encoding: nonce\0'), 12);
	const key = await crypto.subtle.importKey('raw', cek, 'AES-GCM', false, ['encrypt']);
	const record = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv: nonce }, key, concat(plaintext, new Uint8Array([LAST_RECORD]))));
	const header = new Uint8Array(16 + 4 + 1);
	header.set(salt, 0);
	new DataView(header.buffer).setUint32(16, RECORD_SIZE);
	header[20] = senderPublic.byteLength;
	return concat(header, senderPublic, record);
}

/** RFC 8292: `vapid t=<ES256 JWT>, k=<public key>`; the JWT names the push service's origin and expires in 12 h. */
export async function vapidAuthorization(opts: { endpoint: string; subject: string; privateKey: CryptoKey; publicKey: string; now?: number }): Promise<string> {
	const seconds = Math.floor((opts.now ?? Date.now()) / 1000);
	const part = (value: unknown) => toBase64Url(encoder.encode(JSON.stringify(value)));
	const unsigned = `${part({ typ: 'JWT', alg: 'ES256' })}.${part({ aud: new URL(opts.endpoint).origin, exp: seconds + 12 * 3600, sub: opts.subject })}`;
	// WebCrypto signs ECDSA as r||s (IEEE P1363), which is exactly the form JWS asks for.
	const signature = await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, opts.privateKey, encoder.encode(unsigned));
	return `vapid t=${unsigned}.${toBase64Url(signature)}, k=${opts.publicKey}`;
}
