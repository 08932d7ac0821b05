// /upload/mask's save step: the referenced image with the uploaded mask's alpha channel, as a PNG that keeps the
// original's text chunks. Mirrors the server's quirks: an original that cannot be located is silently not written
// (the upload still answers 200), and sizes that differ raise (→ 500).
import { join, resolve } from 'node:path';
import { annotatedName, isInside, type FileStore } from './files';
import { jpegSize } from './image-size';
import { decodePng, type RgbaImage } from './png-decode';
import { encodePng } from './png';
import { picture } from './pictures';

interface OriginalRef {
	filename?: unknown;
	subfolder?: unknown;
	type?: unknown;
}

async function locateOriginal(files: FileStore, ref: OriginalRef): Promise<string | null> {
	const [filename, annotated] = annotatedName(String(ref.filename ?? ''));
	if (!filename || filename.startsWith('/') || filename.includes('..')) return null;
	let dir = annotated ? files.dir(annotated) : files.dirOf(String(ref.type ?? 'output'));
	if (dir === null) return null;
	const subfolder = String(ref.subfolder ?? '');
	if (subfolder !== '') {
		const full = resolve(dir, subfolder);
		if (!isInside(dir, full)) return null;
		dir = full;
	}
	const path = join(dir, filename);
	return (await files.isFile(path)) ? path : null;
}

/**
 * Writes the composite to `target`. An original the emulator cannot decode (a JPEG photo, a 16-bit PNG) becomes a
 * generated picture of its size under the mask's alpha: the emulator never looks at input pixels anyway.
 */
export async function saveMaskedImage(files: FileStore, ref: OriginalRef, mask: Uint8Array, target: string): Promise<void> {
	const originalPath = await locateOriginal(files, ref);
	if (!originalPath) return;
	const originalBytes = (await files.read(originalPath))!;
	const maskImage = decodePng(mask);
	const original: RgbaImage | null = decodePng(originalBytes);
	const size = original ?? jpegSize(originalBytes) ?? maskImage ?? { width: 512, height: 512 };
	const { width, height } = size;
	if (maskImage && (maskImage.width !== width || maskImage.height !== height)) throw new Error('images do not match');
	const rgba = new Uint8Array(width * height * 4);
	const fallback = original ? null : picture(`mask-original:${originalPath}`, width, height).rgb;
	for (let i = 0; i < width * height; i++) {
		if (original) rgba.set(original.rgba.subarray(i * 4, i * 4 + 3), i * 4);
		else rgba.set(fallback!.subarray(i * 3, i * 3 + 3), i * 4);
		rgba[i * 4 + 3] = maskImage ? maskImage.rgba[i * 4 + 3] : 255;
	}
	await files.write(target, encodePng({ width, height, rgba }, original?.text ?? [], 4));
}
