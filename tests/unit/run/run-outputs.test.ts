import { describe, expect, it } from 'vitest';
import { collectOutputs, mimeOf } from '../../../src/lib/app/run/outputs';

describe('collectOutputs', () => {
	it('lists images, videos and audio of every output node with their kind and type', () => {
		const sut = collectOutputs({
			'9': { images: [{ filename: 'ComfyUI_00001_.png', subfolder: '', type: 'output' }] },
			'12': { gifs: [{ filename: 'clip.mp4', subfolder: 'vid', type: 'output', format: 'video/h264-mp4' }] },
			'15': { audio: [{ filename: 'song.flac', subfolder: '', type: 'output' }] }
		});
		expect(sut.map((r) => [r.nodeId, r.kind, r.mime])).toEqual([
			['9', 'image', 'image/png'],
			['12', 'video', 'video/h264-mp4'],
			['15', 'audio', 'audio/flac']
		]);
	});

	it('keeps a file once when a cached node re-sends the same output', () => {
		const file = { filename: 'a.png', subfolder: '', type: 'output' };
		expect(collectOutputs({ '9': { images: [file, { ...file }] } })).toHaveLength(1);
	});

	it('skips text outputs, null outputs and entries that are not file references', () => {
		const sut = collectOutputs({
			'3': { text: ['hello'] },
			'4': null,
			'5': { images: [{ subfolder: '' } as never, { filename: '', subfolder: '', type: 'temp' }] }
		});
		expect(sut).toEqual([]);
	});

	it('treats an animated WebP as an image and an unknown extension in an audio list as audio', () => {
		const sut = collectOutputs({
			'1': { images: [{ filename: 'anim.webp', subfolder: '', type: 'output' }], animated: [true] },
			'2': { audio: [{ filename: 'take.xyz', subfolder: '', type: 'output' }] }
		});
		expect(sut.map((r) => r.kind)).toEqual(['image', 'audio']);
	});
});

describe('mimeOf', () => {
	it('reads the extension case-insensitively and falls back to octet-stream', () => {
		expect(mimeOf({ filename: 'X.JPG', subfolder: '', type: 'output' })).toBe('image/jpeg');
		expect(mimeOf({ filename: 'noext', subfolder: '', type: 'output' })).toBe('application/octet-stream');
	});
});
