import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decodeFrame, encodePreviewFrame, encodeTextFrame, type BinaryFrame } from '$lib/comfy/frames';
import { eventFromWire } from '$lib/comfy/events';
import { captureBytes, transcript, type TranscriptLine } from './capture-files';
import { jpegSize, pngSize } from './image-probe';

function recordedBinary(scenario: string, length: number): TranscriptLine {
	const line = transcript(scenario).find((l) => l.kind === 'binary' && l.len === length);
	if (!line) throw new Error(`no binary frame of ${length} bytes in ${scenario}`);
	return line;
}

function preview(frame: BinaryFrame | null): Extract<BinaryFrame, { type: 'preview' }> {
	if (frame?.type !== 'preview') throw new Error(`expected a preview frame, got ${JSON.stringify(frame)}`);
	return frame;
}

describe('decodeFrame on the captured frames', () => {
	it.each(['S1-legacy-preview-1', 'S1-legacy-preview-2'])('decodes %s as a legacy JPEG preview matching the recording', (name) => {
		const bytes = captureBytes(`frames/${name}.bin`);
		const recorded = recordedBinary('S1-basic-clientA-submitter', bytes.length);
		const frame = preview(decodeFrame(bytes));
		expect(frame.event).toBe(recorded.event);
		expect(frame.mime).toBe('image/jpeg');
		expect(frame.meta).toBeUndefined();
		expect(frame.image.length).toBe(recorded.image_bytes);
		expect(frame.image).toEqual(captureBytes(`frames/${name}.jpg`));
		expect(jpegSize(frame.image)).toEqual(recorded.image_size);
	});

	it.each(['S3-metadata-preview-1', 'S3-metadata-preview-2'])('decodes %s with its metadata and a valid JPEG', (name) => {
		const bytes = captureBytes(`frames/${name}.bin`);
		const recorded = recordedBinary('S3-featureflags-submitter-clientC', bytes.length);
		const frame = preview(decodeFrame(bytes));
		expect(frame.event).toBe(4);
		expect(frame.meta).toEqual(recorded.metadata);
		expect(frame.mime).toBe('image/jpeg');
		expect(frame.image).toEqual(captureBytes(`frames/${name}.jpg`));
		expect(jpegSize(frame.image)).toEqual(recorded.image_size);
	});

	it('decodes the PNG preview of S4 as image/png with the recorded size', () => {
		const bytes = captureBytes('frames/S4-png-preview-1.bin');
		const recorded = recordedBinary('S4-png-previews-PreviewImage-clientA', bytes.length);
		const frame = preview(decodeFrame(bytes));
		expect(recorded.format_code).toBe(2);
		expect(frame.mime).toBe('image/png');
		expect(frame.image.length).toBe(recorded.image_bytes);
		expect(pngSize(frame.image)).toEqual(recorded.image_size);
	});

	it('accepts an ArrayBuffer as well as a Uint8Array', () => {
		const bytes = captureBytes('frames/S3-metadata-preview-1.bin');
		const copy = bytes.slice().buffer;
		expect(preview(decodeFrame(copy)).meta?.prompt_id).toBe('9f666d15-fed2-4e52-9fc3-f329902241f8');
	});

	it('turns a metadata preview into an event addressed to its prompt and display node', () => {
		const event = eventFromWire(captureBytes('frames/S3-metadata-preview-1.bin'));
		expect(event).toMatchObject({ type: 'preview', promptId: '9f666d15-fed2-4e52-9fc3-f329902241f8', nodeId: '1' });
	});

	it('turns a legacy preview into an event without prompt or node', () => {
		const event = eventFromWire(captureBytes('frames/S1-legacy-preview-1.bin'));
		expect(event?.type).toBe('preview');
		expect(event).not.toHaveProperty('promptId');
		expect(event).not.toHaveProperty('nodeId');
	});
});

describe('decodeFrame on damaged or unknown frames', () => {
	it('rejects every truncation of a metadata frame that cuts the header or the JSON', () => {
		const bytes = captureBytes('frames/S3-metadata-preview-1.bin');
		const jsonEnd = 8 + 166;
		for (let cut = 0; cut <= jsonEnd; cut++) expect(decodeFrame(bytes.subarray(0, cut))).toBeNull();
	});

	it('rejects a legacy preview that has no image bytes', () => {
		const bytes = captureBytes('frames/S1-legacy-preview-1.bin');
		for (let cut = 0; cut <= 8; cut++) expect(decodeFrame(bytes.subarray(0, cut))).toBeNull();
	});

	it('ignores unknown event types, including the internal type 2', () => {
		for (const type of [0, 2, 5, 0xffffffff]) {
			const bytes = captureBytes('frames/S1-legacy-preview-1.bin').slice();
			new DataView(bytes.buffer).setUint32(0, type);
			expect(decodeFrame(bytes)).toBeNull();
		}
	});

	it('rejects metadata that is not a JSON object', () => {
		const bad = encodePreviewFrame({ imageType: 'image/jpeg', image: new Uint8Array([1, 2]), meta: {} }).slice();
		const length = new DataView(bad.buffer).getUint32(4);
		bad.fill(0x7b, 8, 8 + length);
		expect(decodeFrame(bad)).toBeNull();
	});

	it('rejects a text frame whose node id runs past the end', () => {
		const frame = encodeTextFrame('12', 'hello').slice();
		new DataView(frame.buffer).setUint32(4, 1000);
		expect(decodeFrame(frame)).toBeNull();
	});

	it('treats an unknown legacy image format as JPEG, like the official frontend', () => {
		const frame = encodePreviewFrame({ imageType: 'image/jpeg', image: new Uint8Array([9]) }).slice();
		new DataView(frame.buffer).setUint32(4, 7);
		expect(preview(decodeFrame(frame)).mime).toBe('image/jpeg');
	});

	it('never throws on arbitrary bytes', () => {
		fc.assert(
			fc.property(fc.uint8Array({ maxLength: 64 }), fc.constantFrom(1, 3, 4, 9), (tail, type) => {
				const bytes = new Uint8Array(4 + tail.length);
				new DataView(bytes.buffer).setUint32(0, type);
				bytes.set(tail, 4);
				decodeFrame(bytes);
			})
		);
	});
});

describe('frame encoders', () => {
	it('re-encodes the captured legacy frame byte for byte', () => {
		const bytes = captureBytes('frames/S1-legacy-preview-1.bin');
		const frame = preview(decodeFrame(bytes));
		expect(encodePreviewFrame({ imageType: frame.mime, image: frame.image })).toEqual(bytes);
	});

	it('produces a type 4 frame when metadata is given, filling image_type from the MIME type', () => {
		const image = new Uint8Array([0x89, 0x50, 0x4e, 0x47]);
		const frame = preview(decodeFrame(encodePreviewFrame({ imageType: 'image/png', image, meta: { prompt_id: 'p', node_id: '3' } })));
		expect(frame).toEqual({ type: 'preview', event: 4, mime: 'image/png', image, meta: { prompt_id: 'p', node_id: '3', image_type: 'image/png' } });
	});

	it('encodes PNG legacy previews with format code 2', () => {
		const frame = encodePreviewFrame({ imageType: 'image/png', image: new Uint8Array([1]) });
		expect(Array.from(frame.subarray(0, 8))).toEqual([0, 0, 0, 1, 0, 0, 0, 2]);
	});

	it('round-trips text frames with multi-byte node ids and text', () => {
		fc.assert(
			fc.property(fc.string(), fc.string(), (nodeId, text) => {
				expect(decodeFrame(encodeTextFrame(nodeId, text))).toEqual({ type: 'text', nodeId, text });
			})
		);
	});

	it('encodes the recorded GetImageSize text frame of S12 to its recorded length', () => {
		const recorded = transcript('S12-progress-text-clientA').find((l) => l.kind === 'binary' && l.event === 3);
		expect(recorded?.node_id).toBe('2');
		const frame = encodeTextFrame(recorded!.node_id!, recorded!.text!);
		expect(frame.length).toBe(recorded!.len);
		expect(eventFromWire(frame)).toEqual({ type: 'text', nodeId: '2', text: recorded!.text });
	});
});
