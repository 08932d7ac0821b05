// Writers of the container formats ComfyUI saves metadata in, built from their specs, so the readers can be tested
// on FLAC, MP4 and WebM files (no media encoder is available here) and on every PNG text chunk variant.
import { crc32, deflateSync } from 'node:zlib';

const enc = new TextEncoder();
const bytes = (s: string) => enc.encode(s);
const latin1 = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

export function concat(...parts: Uint8Array[]): Uint8Array {
	const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
	let o = 0;
	for (const p of parts) {
		out.set(p, o);
		o += p.length;
	}
	return out;
}

const u32be = (n: number) => Uint8Array.of(n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255);
const u32le = (n: number) => Uint8Array.of(n & 255, (n >>> 8) & 255, (n >>> 16) & 255, n >>> 24);

// ---- PNG --------------------------------------------------------------------------------------------------------

export function pngChunk(type: string, data: Uint8Array): Uint8Array {
	const body = concat(latin1(type), data);
	return concat(u32be(data.length), body, u32be(crc32(body)));
}

export const tEXt = (key: string, text: string) => pngChunk('tEXt', concat(latin1(key), Uint8Array.of(0), latin1(text)));
export const zTXt = (key: string, text: string) => pngChunk('zTXt', concat(latin1(key), Uint8Array.of(0, 0), deflateSync(latin1(text))));
export function iTXt(key: string, text: string, compressed: boolean): Uint8Array {
	const body = compressed ? deflateSync(bytes(text)) : bytes(text);
	return pngChunk('iTXt', concat(latin1(key), Uint8Array.of(0, compressed ? 1 : 0, 0), bytes('en'), Uint8Array.of(0), bytes('Workflow'), Uint8Array.of(0), body));
}

export function png(...chunks: Uint8Array[]): Uint8Array {
	const ihdr = pngChunk('IHDR', concat(u32be(1), u32be(1), Uint8Array.of(8, 2, 0, 0, 0)));
	return concat(Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a), ihdr, ...chunks, pngChunk('IEND', new Uint8Array()));
}

// ---- FLAC -------------------------------------------------------------------------------------------------------

export function flac(comments: Record<string, string>): Uint8Array {
	const vendor = bytes('reference libFLAC 1.4.3');
	const entries = Object.entries(comments).map(([k, v]) => bytes(`${k}=${v}`));
	const vorbis = concat(u32le(vendor.length), vendor, u32le(entries.length), ...entries.flatMap((e) => [u32le(e.length), e]));
	const block = (type: number, last: boolean, data: Uint8Array) =>
		concat(Uint8Array.of((last ? 0x80 : 0) | type, (data.length >> 16) & 255, (data.length >> 8) & 255, data.length & 255), data);
	return concat(bytes('fLaC'), block(0, false, new Uint8Array(34)), block(4, true, vorbis), new Uint8Array(64));
}

// ---- MP4 (ffmpeg -movflags use_metadata_tags) --------------------------------------------------------------------

const box = (type: string, ...children: Uint8Array[]) => {
	const body = concat(...children);
	return concat(u32be(body.length + 8), latin1(type), body);
};

export function mp4(tags: Record<string, string>): Uint8Array {
	const keys = Object.keys(tags);
	const keysBox = box('keys', u32be(0), u32be(keys.length), ...keys.map((k) => concat(u32be(bytes(k).length + 8), latin1('mdta'), bytes(k))));
	const items = keys.map((k, i) => {
		const data = box('data', u32be(1), u32be(0), bytes(tags[k]));
		const body = data;
		return concat(u32be(body.length + 8), u32be(i + 1), body);
	});
	const hdlr = box('hdlr', u32be(0), u32be(0), latin1('mdta'), new Uint8Array(12), Uint8Array.of(0));
	const meta = box('meta', u32be(0), hdlr, keysBox, box('ilst', ...items));
	const ftyp = box('ftyp', latin1('isom'), u32be(512), latin1('isomiso2mp41'));
	return concat(ftyp, box('free'), box('mdat', new Uint8Array(100)), box('moov', box('mvhd', new Uint8Array(100)), box('udta', meta)));
}

// ---- WebM -------------------------------------------------------------------------------------------------------

const ebmlId = (id: number) => (id > 0xffffff ? u32be(id) : id > 0xffff ? u32be(id).subarray(1) : id > 0xff ? u32be(id).subarray(2) : Uint8Array.of(id));
function element(id: number, ...children: Uint8Array[]): Uint8Array {
	const body = concat(...children);
	const size = new Uint8Array(8);
	size[0] = 0x01;
	let n = body.length;
	for (let i = 7; i >= 1; i--) {
		size[i] = n & 255;
		n = Math.floor(n / 256);
	}
	return concat(ebmlId(id), size, body);
}

export function webm(tags: Record<string, string>): Uint8Array {
	const header = element(0x1a45dfa3, element(0x4282, bytes('webm')));
	const simple = Object.entries(tags).map(([k, v]) => element(0x67c8, element(0x45a3, bytes(k)), element(0x4487, bytes(v))));
	const cluster = element(0x1f43b675, element(0xe7, Uint8Array.of(0)), new Uint8Array(200));
	return concat(header, element(0x18538067, element(0x1549a966, new Uint8Array(10)), cluster, element(0x1254c367, element(0x7373, ...simple))));
}
