// Blobs inside JSON: a backup file is one JSON document, so pictures travel as base64 under a `$blob` marker.

interface EncodedBlob {
	$blob: { type: string; base64: string };
}

function isEncodedBlob(value: unknown): value is EncodedBlob {
	if (!value || typeof value !== 'object') return false;
	const inner = (value as { $blob?: unknown }).$blob;
	return !!inner && typeof inner === 'object' && typeof (inner as { base64?: unknown }).base64 === 'string';
}

// btoa/atob work on "binary strings"; going through chunks keeps String.fromCharCode's argument list short.
const CHUNK = 0x8000;

export function bytesToBase64(bytes: Uint8Array): string {
	let binary = '';
	for (let i = 0; i < bytes.length; i += CHUNK) {
		binary += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
	}
	return btoa(binary);
}

export function base64ToBytes(base64: string): Uint8Array<ArrayBuffer> {
	const binary = atob(base64);
	const bytes = new Uint8Array(binary.length);
	for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
	return bytes;
}

/** A deep copy of `value` in which every Blob became an `{$blob}` object. */
export async function encodeBlobs(value: unknown): Promise<unknown> {
	if (value instanceof Blob) {
		return { $blob: { type: value.type, base64: bytesToBase64(new Uint8Array(await value.arrayBuffer())) } };
	}
	if (Array.isArray(value)) return Promise.all(value.map(encodeBlobs));
	if (value && typeof value === 'object') {
		const out: Record<string, unknown> = {};
		for (const [key, inner] of Object.entries(value)) out[key] = await encodeBlobs(inner);
		return out;
	}
	return value;
}

/** The inverse of encodeBlobs. Throws on a malformed base64 payload. */
export function decodeBlobs(value: unknown): unknown {
	if (isEncodedBlob(value)) return new Blob([base64ToBytes(value.$blob.base64)], { type: value.$blob.type ?? '' });
	if (Array.isArray(value)) return value.map(decodeBlobs);
	if (value && typeof value === 'object') {
		const out: Record<string, unknown> = {};
		for (const [key, inner] of Object.entries(value)) out[key] = decodeBlobs(inner);
		return out;
	}
	return value;
}
