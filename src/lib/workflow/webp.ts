// WebP metadata as ComfyUI writes it: an EXIF chunk whose IFD0 ASCII tags hold "prompt:{…}", "workflow:{…}".
import { addMissing, ascii, startsWith, u16be, u16le, u32be, u32le, utf8 } from './bytes';

export const isWebp = (b: Uint8Array): boolean => ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 4) === 'WEBP';

const MAX_ENTRIES = 4096;

export function webpTexts(b: Uint8Array): Record<string, string> {
	const texts: Record<string, string> = {};
	let o = 12;
	while (o + 8 <= b.length) {
		const type = ascii(b, o, 4);
		const size = u32le(b, o + 4);
		const start = o + 8;
		const end = Math.min(start + size, b.length);
		if (type === 'EXIF') addMissing(texts, exifTexts(b.subarray(start, end)));
		o = start + size + (size % 2);
	}
	return texts;
}

/** ASCII/UNDEFINED strings of a TIFF IFD0 of the form "key:value". */
export function exifTexts(exif: Uint8Array): Record<string, string> {
	const t = startsWith(exif, [0x45, 0x78, 0x69, 0x66, 0, 0]) ? exif.subarray(6) : exif;
	const texts: Record<string, string> = {};
	const little = ascii(t, 0, 2) === 'II';
	if (!little && ascii(t, 0, 2) !== 'MM') return texts;
	const u16 = little ? u16le : u16be;
	const u32 = little ? u32le : u32be;
	if (t.length < 8 || u16(t, 2) !== 42) return texts;
	const ifd = u32(t, 4);
	if (ifd + 2 > t.length) return texts;
	const count = Math.min(u16(t, ifd), MAX_ENTRIES);
	for (let i = 0; i < count; i++) {
		const e = ifd + 2 + i * 12;
		if (e + 12 > t.length) break;
		const type = u16(t, e + 2);
		const n = u32(t, e + 4);
		if ((type !== 2 && type !== 7) || n === 0) continue;
		const at = n <= 4 ? e + 8 : u32(t, e + 8);
		if (at + n > t.length) continue;
		let raw = t.subarray(at, at + n);
		if (raw[raw.length - 1] === 0) raw = raw.subarray(0, raw.length - 1);
		const s = utf8(raw);
		const colon = s.indexOf(':');
		if (colon > 0) {
			const key = s.slice(0, colon);
			if (!(key in texts)) texts[key] = s.slice(colon + 1);
		}
	}
	return texts;
}
