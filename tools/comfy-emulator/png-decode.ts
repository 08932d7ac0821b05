// Reads the PNGs a browser produces (8-bit, not interlaced: grey, RGB, palette, grey+alpha, RGBA) into RGBA, and
// their tEXt chunks. Enough for /upload/mask, which composites an uploaded mask's alpha onto an input image.
import { inflateSync } from 'node:zlib';
import { pngSize } from './png';

export interface RgbaImage {
	width: number;
	height: number;
	rgba: Uint8Array;
	text: [string, string][];
}

const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

function paeth(a: number, b: number, c: number): number {
	const p = a + b - c;
	const [pa, pb, pc] = [Math.abs(p - a), Math.abs(p - b), Math.abs(p - c)];
	return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

function unfilter(raw: Uint8Array, width: number, height: number, bpp: number): Uint8Array {
	const stride = width * bpp;
	const out = new Uint8Array(stride * height);
	for (let y = 0; y < height; y++) {
		const filter = raw[y * (stride + 1)];
		const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
		for (let x = 0; x < stride; x++) {
			const a = x >= bpp ? out[y * stride + x - bpp] : 0;
			const b = y > 0 ? out[(y - 1) * stride + x] : 0;
			const c = x >= bpp && y > 0 ? out[(y - 1) * stride + x - bpp] : 0;
			const predictor = [0, a, b, (a + b) >> 1, paeth(a, b, c)][filter];
			if (predictor === undefined) throw new Error(`unknown PNG filter ${filter}`);
			out[y * stride + x] = (line[x] + predictor) & 0xff;
		}
	}
	return out;
}

/** Decodes a PNG, or returns null for anything else or a variant this reader does not handle. */
export function decodePng(bytes: Uint8Array): RgbaImage | null {
	const size = pngSize(bytes);
	if (!size) return null;
	const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
	const [depth, colour, interlace] = [bytes[24], bytes[25], bytes[28]];
	const channels = CHANNELS[colour];
	if (depth !== 8 || interlace !== 0 || channels === undefined) return null;
	const idat: Uint8Array[] = [];
	const text: [string, string][] = [];
	let palette: Uint8Array = new Uint8Array(0);
	let paletteAlpha: Uint8Array = new Uint8Array(0);
	for (let o = 8; o + 8 <= bytes.length; ) {
		const length = view.getUint32(o);
		const type = String.fromCharCode(...bytes.subarray(o + 4, o + 8));
		const data = bytes.subarray(o + 8, o + 8 + length);
		if (type === 'IDAT') idat.push(data);
		else if (type === 'PLTE') palette = data;
		else if (type === 'tRNS') paletteAlpha = data;
		else if (type === 'tEXt') {
			const nul = data.indexOf(0);
			text.push([Buffer.from(data.subarray(0, nul)).toString('latin1'), Buffer.from(data.subarray(nul + 1)).toString('latin1')]);
		} else if (type === 'IEND') break;
		o += 12 + length;
	}
	let pixels: Uint8Array;
	try {
		pixels = unfilter(inflateSync(Buffer.concat(idat)), size.width, size.height, channels);
	} catch {
		return null;
	}
	const rgba = new Uint8Array(size.width * size.height * 4);
	for (let i = 0, p = 0; i < size.width * size.height; i++, p += channels) {
		let rgb: [number, number, number];
		let alpha = 255;
		if (colour === 3) {
			const index = pixels[p];
			rgb = [palette[index * 3], palette[index * 3 + 1], palette[index * 3 + 2]];
			alpha = index < paletteAlpha.length ? paletteAlpha[index] : 255;
		} else if (channels <= 2) {
			rgb = [pixels[p], pixels[p], pixels[p]];
			if (channels === 2) alpha = pixels[p + 1];
		} else {
			rgb = [pixels[p], pixels[p + 1], pixels[p + 2]];
			if (channels === 4) alpha = pixels[p + 3];
		}
		rgba.set([...rgb, alpha], i * 4);
	}
	return { ...size, rgba, text };
}
