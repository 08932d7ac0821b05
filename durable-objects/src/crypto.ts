// Secrets handling: random tokens, SHA-256 hashes for storage, constant-time comparison, and base64url.

const encoder = new TextEncoder();
const BASE32 = 'abcdefghijkmnpqrstuvwxyz23456789';

export function randomToken(bytes = 32): string {
	return toBase64Url(crypto.getRandomValues(new Uint8Array(bytes)));
}

export function toBase64Url(bytes: Uint8Array | ArrayBuffer): string {
	const view = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
	let binary = '';
	for (const b of view) binary += String.fromCharCode(b);
	return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Null for anything that is not base64url (padding tolerated, as some browsers' toJSON() used to add it). */
export function fromBase64Url(text: string): Uint8Array | null {
	if (!/^[A-Za-z0-9_-]*={0,2}$/.test(text)) return null;
	const plain = text.replace(/=+$/, '').replace(/-/g, '+').replace(/_/g, '/');
	try {
		const binary = atob(plain + '='.repeat((4 - (plain.length % 4)) % 4));
		return Uint8Array.from(binary, (c) => c.charCodeAt(0));
	} catch {
		return null;
	}
}

/** A code a person may have to type: no look-alike characters (0/o, 1/l). 20 chars ≈ 100 bits. */
export function randomCode(length = 20): string {
	const raw = crypto.getRandomValues(new Uint8Array(length));
	return Array.from(raw, (b) => BASE32[b % BASE32.length]).join('');
}

export async function sha256Hex(text: string): Promise<string> {
	const digest = await crypto.subtle.digest('SHA-256', encoder.encode(text));
	return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Compares two secrets in constant time. `timingSafeEqual` needs equal lengths, so both sides are hashed
 * first: the comparison then reveals nothing about the length or prefix of the expected value.
 */
export async function secretsEqual(given: string, expected: string): Promise<boolean> {
	const [a, b] = await Promise.all([digestOf(given), digestOf(expected)]);
	return crypto.subtle.timingSafeEqual(a, b);
}

/** For values stored only as hex SHA-256 digests. */
export async function matchesHash(given: string, expectedHex: string): Promise<boolean> {
	const a = encoder.encode(await sha256Hex(given));
	const b = encoder.encode(expectedHex);
	return a.length === b.length && crypto.subtle.timingSafeEqual(a, b);
}

async function digestOf(text: string): Promise<ArrayBuffer> {
	return crypto.subtle.digest('SHA-256', encoder.encode(text));
}
