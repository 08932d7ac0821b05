// Preview images for sampler steps. JPEG previews are the real ones captured from ComfyUI (the emulator has no
// JPEG encoder), cycled by step; PNG previews are generated, noisy at first and clean at the last step.
import { readFileSync } from 'node:fs';
import { encodePng } from './png';
import { fitInto, picture } from './pictures';

export interface Preview {
	mime: 'image/jpeg' | 'image/png';
	bytes: Uint8Array;
}

/** The server scales previews to fit --preview-size (512 by default). */
const PREVIEW_BOX = 512;
const JPEG_NAMES = ['S1-legacy-preview-1.jpg', 'S1-legacy-preview-2.jpg', 'S3-metadata-preview-1.jpg', 'S3-metadata-preview-2.jpg'];

let jpegs: Uint8Array[] | null = null;

function capturedJpegs(): Uint8Array[] {
	jpegs ??= JPEG_NAMES.map((name) => new Uint8Array(readFileSync(new URL(`./assets/previews/${name}`, import.meta.url))));
	return jpegs;
}

export function makePreview(format: 'jpeg' | 'png', fingerprint: string, step: number, max: number, width: number, height: number): Preview {
	if (format === 'jpeg') {
		const all = capturedJpegs();
		return { mime: 'image/jpeg', bytes: all[(step - 1) % all.length] };
	}
	const size = fitInto(width, height, PREVIEW_BOX);
	const noise = max > 0 ? 1 - step / max : 0;
	return { mime: 'image/png', bytes: encodePng(picture(fingerprint, size.width, size.height, noise), [], 1) };
}
