// The container readers on the variants real files use that the import tests do not reach.
import { describe, expect, it } from 'vitest';
import { exifTexts } from '../../../src/lib/workflow/webp';
import { webmTexts } from '../../../src/lib/workflow/ebml';
import { mp4Texts } from '../../../src/lib/workflow/isobmff';
import { detectKind } from '../../../src/lib/workflow/detect';
import { importWorkflowFile, MAX_JSON_BYTES } from '../../../src/lib/workflow/import';
import { concat, mp4, webm } from './containers';

const enc = new TextEncoder();

/** A TIFF IFD0 with ASCII entries, in either byte order. */
function tiff(little: boolean, entries: [number, string][]): Uint8Array {
	const u16 = (n: number) => (little ? Uint8Array.of(n & 255, n >> 8) : Uint8Array.of(n >> 8, n & 255));
	const u32 = (n: number) => (little ? Uint8Array.of(n & 255, (n >> 8) & 255, (n >> 16) & 255, n >>> 24) : Uint8Array.of(n >>> 24, (n >> 16) & 255, (n >> 8) & 255, n & 255));
	const header = concat(enc.encode(little ? 'II' : 'MM'), u16(42), u32(8));
	const dataStart = 8 + 2 + entries.length * 12 + 4;
	let offset = dataStart;
	const strings: Uint8Array[] = [];
	const ifd = entries.map(([tag, text]) => {
		const bytes = concat(enc.encode(text), Uint8Array.of(0));
		const inline = bytes.length <= 4;
		const value = inline ? concat(bytes, new Uint8Array(4 - bytes.length)) : u32(offset);
		if (!inline) {
			strings.push(bytes);
			offset += bytes.length;
		}
		return concat(u16(tag), u16(2), u32(bytes.length), value);
	});
	return concat(header, u16(entries.length), ...ifd, u32(0), ...strings);
}

describe('EXIF (WebP) reader', () => {
	it.each([true, false])('reads key:value ASCII tags in either byte order (little endian: %s)', (little) => {
		const exif = tiff(little, [
			[0x0110, 'prompt:{"1":{}}'],
			[0x010f, 'workflow:{"nodes":[]}'],
			[0x010e, 'a:b']
		]);
		expect(exifTexts(exif)).toEqual({ prompt: '{"1":{}}', workflow: '{"nodes":[]}', a: 'b' });
		expect(exifTexts(concat(enc.encode('Exif\0\0'), exif))).toEqual(exifTexts(exif));
	});

	it('ignores entries pointing outside the data', () => {
		const exif = tiff(true, [[0x0110, 'prompt:{"x":1}']]);
		expect(exifTexts(exif.subarray(0, exif.length - 4))).toEqual({});
	});
});

describe('WebM reader', () => {
	it('reads tags inside a Segment of unknown size', () => {
		const file = webm({ WORKFLOW: '{"nodes":[]}' });
		// Segment id (4 bytes) follows the 4+8+7-byte EBML header; mark its 8-byte size as unknown.
		const segmentSize = 4 + 8 + (2 + 8 + 4) + 4;
		expect([...file.subarray(segmentSize - 4, segmentSize)]).toEqual([0x18, 0x53, 0x80, 0x67]);
		file.set([0x01, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff], segmentSize);
		expect(webmTexts(file)).toEqual({ workflow: '{"nodes":[]}' });
	});
});

describe('MP4 reader', () => {
	it('reads the first value of a key and ignores media boxes', () => {
		const texts = mp4Texts(mp4({ workflow: 'W', prompt: 'P' }));
		expect(texts).toEqual({ workflow: 'W', prompt: 'P' });
	});
});

describe('detectKind', () => {
	it('knows formats by their bytes, not their names', () => {
		expect(detectKind(mp4({}))).toBe('mp4');
		expect(detectKind(webm({}))).toBe('webm');
		expect(detectKind(enc.encode('\ufeff \n {"a":1}'))).toBe('json');
		expect(detectKind(enc.encode('[1,2]'))).toBe('unknown');
	});
});

describe('size limits', () => {
	it('refuses JSON beyond the limit before parsing it', async () => {
		const big = new Uint8Array(MAX_JSON_BYTES + 200_000).fill(0x20);
		big[0] = 0x7b;
		const r = await importWorkflowFile(big, 'huge.json');
		expect(r).toEqual({ ok: false, error: 'The JSON file is too large (64.2 MB; a workflow may be at most 64 MB).', reason: { code: 'too-large', sizeMb: '64.2', limitMb: '64' } });
	});
});
