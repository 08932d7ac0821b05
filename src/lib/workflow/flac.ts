// FLAC metadata: the VORBIS_COMMENT block's "KEY=value" entries (ComfyUI's SaveAudio writes prompt, workflow).
import { addMissing, ascii, u32le, utf8 } from './bytes';

export const isFlac = (b: Uint8Array): boolean => ascii(b, 0, 4) === 'fLaC';

const VORBIS_COMMENT = 4;

export function flacTexts(b: Uint8Array): Record<string, string> {
	const texts: Record<string, string> = {};
	let o = 4;
	while (o + 4 <= b.length) {
		const header = b[o];
		const length = (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3];
		const start = o + 4;
		const end = start + length;
		if (end > b.length) break;
		if ((header & 0x7f) === VORBIS_COMMENT) addMissing(texts, vorbisComments(b.subarray(start, end)));
		if (header & 0x80) break;
		o = end;
	}
	return texts;
}

/** Vorbis comment list: vendor string, then count × (u32 length, "KEY=value"). Keys are case-insensitive. */
export function vorbisComments(c: Uint8Array): Record<string, string> {
	const texts: Record<string, string> = {};
	if (c.length < 8) return texts;
	let o = 4 + u32le(c, 0);
	if (o + 4 > c.length) return texts;
	const count = u32le(c, o);
	o += 4;
	for (let i = 0; i < count && o + 4 <= c.length; i++) {
		const n = u32le(c, o);
		o += 4;
		if (o + n > c.length) break;
		const s = utf8(c.subarray(o, o + n));
		o += n;
		const eq = s.indexOf('=');
		if (eq > 0) {
			const key = s.slice(0, eq).toLowerCase();
			if (!(key in texts)) texts[key] = s.slice(eq + 1);
		}
	}
	return texts;
}
