// /upload/mask: the original image with the mask's alpha, under the upload's name, keeping the original's text
// chunks; and the PNG reader it relies on.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { encodePng } from '../../../tools/comfy-emulator/png';
import { decodePng } from '../../../tools/comfy-emulator/png-decode';
import { useEmulatorWithClient } from './support/fixture';

const fixture = useEmulatorWithClient({ stepMs: 0 });

function fnv(data: Uint8Array): number {
	let h = 0x811c9dc5;
	for (const b of data) h = Math.imul(h ^ b, 0x01000193) >>> 0;
	return h;
}

async function send(path: string, file: Uint8Array, name: string, fields: Record<string, string>): Promise<globalThis.Response> {
	const form = new FormData();
	form.append('image', new Blob([new Uint8Array(file)]), name);
	for (const [k, v] of Object.entries(fields)) form.append(k, v);
	return fetch(`${fixture.sut.url}${path}`, { method: 'POST', body: form });
}

const original = encodePng({ width: 4, height: 2, rgb: Uint8Array.from({ length: 24 }, (_, i) => i * 10) }, [['workflow', '{"nodes":[]}']]);
const mask = encodePng({ width: 4, height: 2, rgba: Uint8Array.from({ length: 32 }, (_, i) => (i % 4 === 3 ? i * 8 : 0)) });

describe('PNG reader', () => {
	it('decodes a real ComfyUI PNG (adaptive filters) to the same pixels as Chromium', () => {
		const bytes = readFileSync(new URL('../../fixtures/corpus/media/lora_multiple.png', import.meta.url));
		const image = decodePng(bytes)!;
		expect([image.width, image.height]).toEqual([2324, 799]);
		// FNV-1a of the RGBA pixels Chromium's decoder produced for this file (createImageBitmap → getImageData).
		expect(fnv(image.rgba)).toBe(3135361488);
		expect(image.text.map(([key]) => key)).toEqual(['prompt', 'workflow']);
	});

	it('returns null for bytes that are not a PNG', () => {
		expect(decodePng(new Uint8Array([0xff, 0xd8, 0xff]))).toBeNull();
	});
});

describe('/upload/mask', () => {
	it('writes the original colours with the mask alpha and the original text chunks', async () => {
		await send('/upload/image', original, 'photo.png', { overwrite: 'true' });
		const res = await send('/upload/mask', mask, 'clipspace-mask.png', {
			original_ref: JSON.stringify({ filename: 'photo.png', subfolder: '', type: 'input' }),
			subfolder: 'clipspace',
			type: 'input'
		});
		expect(await res.json()).toEqual({ name: 'clipspace-mask.png', subfolder: 'clipspace', type: 'input' });
		const view = await fetch(`${fixture.sut.url}/view?filename=clipspace-mask.png&subfolder=clipspace&type=input`);
		const composite = decodePng(new Uint8Array(await view.arrayBuffer()))!;
		const source = decodePng(original)!;
		expect(composite.rgba.filter((_, i) => i % 4 !== 3)).toEqual(source.rgba.filter((_, i) => i % 4 !== 3));
		expect(composite.rgba.filter((_, i) => i % 4 === 3)).toEqual(Uint8Array.from({ length: 8 }, (_, p) => (p * 4 + 3) * 8));
		expect(composite.text).toEqual([['workflow', '{"nodes":[]}']]);
	});

	it('answers 200 but writes nothing when the original cannot be found, like the server', async () => {
		const ref = JSON.stringify({ filename: 'missing.png', type: 'input' });
		const res = await send('/upload/mask', mask, 'orphan-mask.png', { original_ref: ref });
		expect(res.status).toBe(200);
		expect((await fetch(`${fixture.sut.url}/view?filename=orphan-mask.png&type=input`)).status).toBe(404);
	});

	it('fails with 500 on a size mismatch or an unreadable original_ref', async () => {
		const big = encodePng({ width: 8, height: 8, rgba: new Uint8Array(256) });
		const ref = JSON.stringify({ filename: 'photo.png', type: 'input' });
		expect((await send('/upload/mask', big, 'big-mask.png', { original_ref: ref })).status).toBe(500);
		expect((await send('/upload/mask', mask, 'bad-ref.png', { original_ref: '{oops' })).status).toBe(500);
	});

	it('masks a JPEG original (512²) with a generated picture of its size (the emulator decodes no JPEG)', async () => {
		const jpeg = readFileSync(new URL('../../fixtures/captures/frames/S1-legacy-preview-1.jpg', import.meta.url));
		await send('/upload/image', jpeg, 'camera.jpg', {});
		const ref = JSON.stringify({ filename: 'camera.jpg', type: 'input' });
		expect((await send('/upload/mask', mask, 'small-mask.png', { original_ref: ref })).status).toBe(500);
		const fullMask = encodePng({ width: 512, height: 512, rgba: new Uint8Array(512 * 512 * 4).fill(7) });
		expect((await send('/upload/mask', fullMask, 'camera-mask.png', { original_ref: ref })).status).toBe(200);
		const view = await fetch(`${fixture.sut.url}/view?filename=camera-mask.png&type=input`);
		const composite = decodePng(new Uint8Array(await view.arrayBuffer()))!;
		expect([composite.width, composite.height]).toEqual([512, 512]);
		expect(composite.rgba[4 * 1000 + 3]).toBe(7);
	});
});
