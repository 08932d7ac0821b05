// What kind of file some bytes are, by content (magic numbers), never by the name alone.
import { isEbml } from './ebml';
import { isFlac } from './flac';
import { isIsoBmff } from './isobmff';
import { isPng } from './png';
import { isWebp } from './webp';

export type FileKind = 'png' | 'webp' | 'flac' | 'mp4' | 'webm' | 'json' | 'unknown';

export function detectKind(b: Uint8Array): FileKind {
	if (isPng(b)) return 'png';
	if (isWebp(b)) return 'webp';
	if (isFlac(b)) return 'flac';
	if (isEbml(b)) return 'webm';
	if (isIsoBmff(b)) return 'mp4';
	let i = b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf ? 3 : 0;
	while (i < b.length && (b[i] === 0x20 || b[i] === 0x09 || b[i] === 0x0a || b[i] === 0x0d)) i++;
	return b[i] === 0x7b ? 'json' : 'unknown';
}

/** A name for the file kind in messages: "a PNG image", "a FLAC file"… */
export function describeKind(kind: FileKind): string {
	switch (kind) {
		case 'png':
			return 'This PNG image';
		case 'webp':
			return 'This WebP image';
		case 'flac':
			return 'This FLAC file';
		case 'mp4':
			return 'This MP4 video';
		case 'webm':
			return 'This WebM video';
		default:
			return 'This file';
	}
}
