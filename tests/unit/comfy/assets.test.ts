// Uploads on both emulator generations (assets off, their default in the captures: no `asset` field, features say
// so), and the asset record a server with assets on adds (its shape from server.py's image_upload).
import { describe, expect, it } from 'vitest';
import { ComfyApi, uploadedAsset } from '../../../src/lib/comfy/http';
import { encodePng } from '../../../tools/comfy-emulator/png';
import { PROFILES } from '../../../tools/comfy-emulator/profile';
import { startEmulator } from '../../../tools/comfy-emulator/server';

const png = () => new Blob([new Uint8Array(encodePng({ width: 8, height: 8, rgb: new Uint8Array(8 * 8 * 3).fill(9) }))], { type: 'image/png' });

describe('uploads', () => {
	it.each(PROFILES)('profile %s: assets are off, the upload answer has no asset', async (profile) => {
		const sut = await startEmulator({ profile });
		const api = new ComfyApi({ baseUrl: sut.url });
		expect((await api.features()).assets ?? false).toBe(false);
		expect(await api.uploadImage(png(), 'a.png')).toEqual({ name: 'a.png', subfolder: '', type: 'input' });
		await sut.close();
	});

	it('keeps a well-formed asset record and drops a malformed one', () => {
		const hash = `blake3:${'ab'.repeat(32)}`;
		const record = { id: 'f3c1', name: 'a.png', asset_hash: hash, size: 141, mime_type: 'image/png', tags: ['input'] };
		expect(uploadedAsset(record)).toEqual(record);
		expect(uploadedAsset({ ...record, asset_hash: 'md5:00', tags: 'input' })).toEqual({ id: 'f3c1', name: 'a.png', asset_hash: null, size: 141, mime_type: 'image/png' });
		expect(uploadedAsset({ name: 'a.png' })).toBeUndefined();
		expect(uploadedAsset(null)).toBeUndefined();
	});
});
