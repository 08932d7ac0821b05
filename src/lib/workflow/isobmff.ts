// MP4/MOV metadata (ISO-BMFF): moov/udta/meta with a `keys` table and `ilst` items, as ffmpeg writes with
// movflags=use_metadata_tags (SaveVideo), plus classic ©cmt / ©des items for legacy "comment" workflows.
import { addMissing, ascii, u32be, utf8 } from './bytes';

export const isIsoBmff = (b: Uint8Array): boolean => ascii(b, 4, 4) === 'ftyp';

interface Box {
	type: string;
	start: number;
	end: number;
}

const MAX_BOXES = 100_000;

function* boxes(b: Uint8Array, from: number, to: number): Generator<Box> {
	let o = from;
	let n = 0;
	while (o + 8 <= to && n++ < MAX_BOXES) {
		let size = u32be(b, o);
		const type = ascii(b, o + 4, 4);
		let header = 8;
		if (size === 1) {
			if (o + 16 > to) return;
			size = u32be(b, o + 8) * 2 ** 32 + u32be(b, o + 12);
			header = 16;
		} else if (size === 0) size = to - o;
		if (size < header || o + size > to) return;
		yield { type, start: o + header, end: o + size };
		o += size;
	}
}

const child = (b: Uint8Array, box: Box, type: string) => [...boxes(b, box.start, box.end)].find((x) => x.type === type);

const CLASSIC_KEYS: Record<string, string> = { '©cmt': 'comment', '©des': 'description' };

export function mp4Texts(b: Uint8Array): Record<string, string> {
	const texts: Record<string, string> = {};
	const moov = [...boxes(b, 0, b.length)].find((x) => x.type === 'moov');
	if (!moov) return texts;
	const udta = child(b, moov, 'udta');
	const metas = [child(b, moov, 'meta'), udta ? child(b, udta, 'meta') : undefined].filter((m): m is Box => !!m);
	for (const meta of metas) addMissing(texts, metaTexts(b, meta));
	return texts;
}

function metaTexts(b: Uint8Array, meta: Box): Record<string, string> {
	// `meta` is a full box in ISO files (4 bytes version/flags) but not in QuickTime files.
	const inner: Box = ascii(b, meta.start + 4, 4) === 'hdlr' ? meta : { ...meta, start: meta.start + 4 };
	const keys: string[] = [];
	const keysBox = child(b, inner, 'keys');
	if (keysBox && keysBox.start + 8 <= keysBox.end) {
		const count = u32be(b, keysBox.start + 4);
		let o = keysBox.start + 8;
		for (let i = 0; i < count && o + 8 <= keysBox.end; i++) {
			const size = u32be(b, o);
			if (size < 8 || o + size > keysBox.end) break;
			keys.push(utf8(b.subarray(o + 8, o + size)));
			o += size;
		}
	}
	const texts: Record<string, string> = {};
	const ilst = child(b, inner, 'ilst');
	if (!ilst) return texts;
	for (const item of boxes(b, ilst.start, ilst.end)) {
		const index = u32be(b, item.start - 4);
		const key = CLASSIC_KEYS[item.type] ?? (index >= 1 && index <= keys.length ? keys[index - 1] : undefined);
		const data = child(b, item, 'data');
		if (!key || !data || data.start + 8 > data.end) continue;
		if (!(key in texts)) texts[key] = utf8(b.subarray(data.start + 8, data.end));
	}
	return texts;
}
