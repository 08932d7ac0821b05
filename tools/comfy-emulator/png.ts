// A minimal PNG writer (8-bit RGB or RGBA, filter 0, zlib from node:zlib) with tEXt chunks, and an IHDR reader.
// Saved images carry `prompt` and `workflow` tEXt chunks exactly where ComfyUI puts them, so importers can be
// tested on the emulator's output.
import { deflateSync } from 'node:zlib';

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

const CRC_TABLE = (() => {
	const table = new Uint32Array(256);
	for (let n = 0; n < 256; n++) {
		let c = n;
		for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
		table[n] = c >>> 0;
	}
	return table;
})();

function crc32(bytes: Uint8Array): number {
	let c = 0xffffffff;
	for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
	return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
	const head = Buffer.alloc(8);
	head.writeUInt32BE(data.length, 0);
	head.write(type, 4, 'latin1');
	const crc = Buffer.alloc(4);
	crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
	return Buffer.concat([head, data, crc]);
}

export interface RgbImage {
	width: number;
	height: number;
	/** width × height × 3 bytes, row-major. */
	rgb: Uint8Array;
}

export interface RgbaPixels {
	width: number;
	height: number;
	/** width × height × 4 bytes, row-major. */
	rgba: Uint8Array;
}

/** `text` entries become tEXt chunks in order; values must be Latin-1 (ComfyUI writes ASCII-escaped JSON). */
export function encodePng(image: RgbImage | RgbaPixels, text: [string, string][] = [], level = 4): Buffer {
	const { width, height } = image;
	const [pixels, channels] = 'rgba' in image ? [image.rgba, 4] : [image.rgb, 3];
	const stride = width * channels;
	const raw = Buffer.alloc((stride + 1) * height);
	for (let y = 0; y < height; y++) {
		raw[y * (stride + 1)] = 0;
		raw.set(pixels.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1);
	}
	const ihdr = Buffer.alloc(13);
	ihdr.writeUInt32BE(width, 0);
	ihdr.writeUInt32BE(height, 4);
	ihdr[8] = 8;
	ihdr[9] = channels === 4 ? 6 : 2;
	const chunks = [chunk('IHDR', ihdr)];
	for (const [key, value] of text) chunks.push(chunk('tEXt', Buffer.from(`${key}\0${value}`, 'latin1')));
	chunks.push(chunk('IDAT', deflateSync(raw, { level })), chunk('IEND', new Uint8Array(0)));
	return Buffer.concat([SIGNATURE, ...chunks]);
}

/** Width and height from a PNG header, or null when the bytes are not a PNG. */
export function pngSize(bytes: Uint8Array): { width: number; height: number } | null {
	if (bytes.length < 24 || !SIGNATURE.equals(Buffer.from(bytes.subarray(0, 8)))) return null;
	const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
	return { width: view.getUint32(16), height: view.getUint32(20) };
}

/** Python's `json.dumps` escapes non-ASCII (ensure_ascii), which is what keeps the metadata valid Latin-1 tEXt. */
export function asciiJson(value: unknown): string {
	return JSON.stringify(value).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
