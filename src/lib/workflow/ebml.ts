// WebM/Matroska metadata (EBML): Segment › Tags › Tag › SimpleTag with TagName / TagString, as ffmpeg writes
// for SaveWEBM / SaveVideo. Clusters (the media) are skipped by size.
import { utf8 } from './bytes';

const EBML_MAGIC = [0x1a, 0x45, 0xdf, 0xa3];
export const isEbml = (b: Uint8Array): boolean => EBML_MAGIC.every((m, i) => b[i] === m);

const ID = { segment: 0x18538067, tags: 0x1254c367, tag: 0x7373, simpleTag: 0x67c8, tagName: 0x45a3, tagString: 0x4487, cluster: 0x1f43b675 };
const DESCEND = new Set([ID.segment, ID.tags, ID.tag]);
const MAX_ELEMENTS = 200_000;

interface Vint {
	value: number;
	length: number;
	unknown: boolean;
}

/** A variable-length integer; `keepMarker` for element ids, which keep their length bits. */
function vint(b: Uint8Array, o: number, keepMarker: boolean): Vint | undefined {
	const first = b[o];
	if (first === undefined || first === 0) return undefined;
	const length = Math.clz32(first) - 23;
	if (length > 8 || o + length > b.length) return undefined;
	let value = keepMarker ? first : first & (0xff >> length);
	let allOnes = value === 0xff >> length;
	for (let i = 1; i < length; i++) {
		value = value * 256 + b[o + i];
		if (b[o + i] !== 0xff) allOnes = false;
	}
	return { value, length, unknown: !keepMarker && allOnes };
}

export function webmTexts(b: Uint8Array): Record<string, string> {
	const texts: Record<string, string> = {};
	const budget = { left: MAX_ELEMENTS };
	walk(b, 0, b.length, texts, budget, 0);
	return texts;
}

function walk(b: Uint8Array, from: number, to: number, texts: Record<string, string>, budget: { left: number }, depth: number): void {
	let o = from;
	while (o < to && budget.left-- > 0) {
		const id = vint(b, o, true);
		if (!id) return;
		const size = vint(b, o + id.length, false);
		if (!size) return;
		const start = o + id.length + size.length;
		const end = size.unknown ? to : Math.min(start + size.value, to);
		if (id.value === ID.simpleTag) simpleTag(b, start, end, texts);
		else if (DESCEND.has(id.value) && depth < 8) walk(b, start, end, texts, budget, depth + 1);
		else if (id.value === ID.cluster && size.unknown) return;
		o = end;
	}
}

function simpleTag(b: Uint8Array, from: number, to: number, texts: Record<string, string>): void {
	let name: string | undefined;
	let value: string | undefined;
	let o = from;
	while (o < to) {
		const id = vint(b, o, true);
		const size = id && vint(b, o + id.length, false);
		if (!id || !size) return;
		const start = o + id.length + size.length;
		const end = Math.min(start + size.value, to);
		if (id.value === ID.tagName) name = utf8(b.subarray(start, end));
		else if (id.value === ID.tagString) value = utf8(b.subarray(start, end));
		o = end;
	}
	if (name !== undefined && value !== undefined) {
		const key = name.toLowerCase();
		if (!(key in texts)) texts[key] = value;
	}
}
