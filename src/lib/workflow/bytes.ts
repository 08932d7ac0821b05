// Small binary helpers shared by the container readers. All bounds-checked by the callers' loops.
const utf8Decoder = new TextDecoder('utf-8');
const latin1Decoder = new TextDecoder('latin1');

export const utf8 = (b: Uint8Array): string => utf8Decoder.decode(b);
export const latin1 = (b: Uint8Array): string => latin1Decoder.decode(b);

export const u32be = (b: Uint8Array, o: number): number => ((b[o] << 24) >>> 0) + (b[o + 1] << 16) + (b[o + 2] << 8) + b[o + 3];
export const u32le = (b: Uint8Array, o: number): number => ((b[o + 3] << 24) >>> 0) + (b[o + 2] << 16) + (b[o + 1] << 8) + b[o];
export const u16le = (b: Uint8Array, o: number): number => b[o] | (b[o + 1] << 8);
export const u16be = (b: Uint8Array, o: number): number => (b[o] << 8) | b[o + 1];

export function ascii(b: Uint8Array, o: number, n: number): string {
	let s = '';
	for (let i = o; i < o + n && i < b.length; i++) s += String.fromCharCode(b[i]);
	return s;
}

export function startsWith(b: Uint8Array, magic: number[], at = 0): boolean {
	if (b.length < at + magic.length) return false;
	return magic.every((m, i) => b[at + i] === m);
}

/** Index of the first zero byte at or after `from` (b.length if none). */
export function nul(b: Uint8Array, from: number): number {
	const i = b.indexOf(0, from);
	return i < 0 ? b.length : i;
}

/** Largest decompressed text we accept from one chunk: ComfyUI metadata is JSON of a few MB at most. */
export const MAX_INFLATED = 32 * 1024 * 1024;

/** zlib-wrapped deflate (PNG zTXt / compressed iTXt), stopped when the output passes MAX_INFLATED. */
export async function inflate(data: Uint8Array, limit = MAX_INFLATED): Promise<Uint8Array> {
	const stream = new Blob([data as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream('deflate'));
	const reader = stream.getReader();
	const parts: Uint8Array[] = [];
	let size = 0;
	for (;;) {
		const { done, value } = await reader.read();
		if (done) break;
		size += value.length;
		if (size > limit) {
			await reader.cancel();
			throw new Error('compressed metadata expands beyond the size limit');
		}
		parts.push(value);
	}
	const out = new Uint8Array(size);
	let o = 0;
	for (const p of parts) {
		out.set(p, o);
		o += p.length;
	}
	return out;
}

/** Copies the entries of `from` whose keys `into` lacks: the first occurrence of a metadata key wins. */
export function addMissing(into: Record<string, string>, from: Record<string, string>): void {
	for (const [k, v] of Object.entries(from)) if (!Object.hasOwn(into, k)) into[k] = v;
}
