// Picture sizes from file headers (PNG IHDR, JPEG start-of-frame), without decoding the pixels.
import { pngSize } from './png';

/** Width and height from a JPEG's start-of-frame marker, or null. */
export function jpegSize(bytes: Uint8Array): { width: number; height: number } | null {
	if (bytes[0] !== 0xff || bytes[1] !== 0xd8) return null;
	for (let o = 2; o + 9 < bytes.length; ) {
		if (bytes[o] !== 0xff) return null;
		const marker = bytes[o + 1];
		const length = (bytes[o + 2] << 8) | bytes[o + 3];
		if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
			return { height: (bytes[o + 5] << 8) | bytes[o + 6], width: (bytes[o + 7] << 8) | bytes[o + 8] };
		}
		o += 2 + length;
	}
	return null;
}

/** Size of a PNG or JPEG; other formats (WebP, GIF…) are taken as 512×512, the emulator's default picture size. */
export function imageSize(bytes: Uint8Array): { width: number; height: number } {
	return pngSize(bytes) ?? jpegSize(bytes) ?? { width: 512, height: 512 };
}
