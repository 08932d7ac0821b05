// PNG text chunks: tEXt (latin1), zTXt (zlib, latin1) and iTXt (UTF-8, optionally zlib), plus the frontend's
// `comf` chunk. Returns keyword → text; damaged or truncated files give what could be read before the damage.
import { ascii, inflate, latin1, nul, startsWith, u32be, utf8 } from './bytes';

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

export const isPng = (b: Uint8Array): boolean => startsWith(b, SIGNATURE);

/** Text chunks by keyword; `problems` names chunks that were present but could not be decompressed. */
export async function pngTexts(b: Uint8Array, problems: string[] = []): Promise<Record<string, string>> {
	const texts: Record<string, string> = {};
	let o = 8;
	while (o + 8 <= b.length) {
		const length = u32be(b, o);
		const type = ascii(b, o + 4, 4);
		const start = o + 8;
		const end = start + length;
		if (end > b.length) break;
		const data = b.subarray(start, end);
		if (type === 'IEND') break;
		const entry = await readChunk(type, data).catch((err: unknown) => {
			problems.push(`its ${type} chunk "${latin1(data.subarray(0, Math.min(nul(data, 0), 80)))}" could not be decompressed (${err instanceof Error ? err.message : String(err)})`);
			return undefined;
		});
		if (entry && !(entry[0] in texts)) texts[entry[0]] = entry[1];
		o = end + 4;
	}
	return texts;
}

async function readChunk(type: string, data: Uint8Array): Promise<[string, string] | undefined> {
	if (type !== 'tEXt' && type !== 'zTXt' && type !== 'iTXt' && type !== 'comf') return undefined;
	const k = nul(data, 0);
	const key = latin1(data.subarray(0, k));
	if (type === 'tEXt' || type === 'comf') return [key, latin1(data.subarray(k + 1))];
	if (type === 'zTXt') {
		if (data[k + 1] !== 0) return undefined;
		return [key, latin1(await inflate(data.subarray(k + 2)))];
	}
	const compressed = data[k + 1] === 1;
	const method = data[k + 2];
	const lang = nul(data, k + 3);
	const translated = nul(data, lang + 1);
	const body = data.subarray(Math.min(translated + 1, data.length));
	if (!compressed) return [key, utf8(body)];
	if (method !== 0) return undefined;
	return [key, utf8(await inflate(body))];
}
