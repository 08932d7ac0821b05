// Binary WebSocket frames of ComfyUI: decoder (never throws) and encoders (used by the emulator and relay tests).
// Layout: u32 big-endian event type, then a payload that depends on it.

/** Type 1: u32 image format (1 JPEG, 2 PNG) + image bytes. Sent to clients without preview metadata. */
export const FRAME_PREVIEW_IMAGE = 1;
/** Type 3: u32 node id length + node id + UTF-8 text (progress text of a node). */
export const FRAME_TEXT = 3;
/** Type 4: u32 JSON length + metadata JSON + image bytes. Sent once `supports_preview_metadata` was negotiated. */
export const FRAME_PREVIEW_WITH_METADATA = 4;

const IMAGE_FORMAT_JPEG = 1;
const IMAGE_FORMAT_PNG = 2;
const HEADER_BYTES = 4;

export interface PreviewMetadata {
	node_id?: string;
	prompt_id?: string;
	display_node_id?: string;
	parent_node_id?: string | null;
	real_node_id?: string;
	image_type?: string;
	[key: string]: unknown;
}

export type BinaryFrame =
	| { type: 'preview'; event: 1 | 4; mime: string; image: Uint8Array; meta?: PreviewMetadata }
	| { type: 'text'; nodeId: string; text: string };

const utf8 = new TextEncoder();

function toBytes(buf: ArrayBuffer | Uint8Array): Uint8Array {
	return buf instanceof Uint8Array ? buf : new Uint8Array(buf);
}

function readU32(bytes: Uint8Array, offset: number): number | null {
	if (offset + 4 > bytes.length) return null;
	return new DataView(bytes.buffer, bytes.byteOffset + offset, 4).getUint32(0, false);
}

function decodeUtf8(bytes: Uint8Array): string | null {
	try {
		return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
	} catch {
		return null;
	}
}

/** The frontend treats any unknown format code as JPEG; so do we. */
function mimeOfFormat(code: number): string {
	return code === IMAGE_FORMAT_PNG ? 'image/png' : 'image/jpeg';
}

function decodeLegacyPreview(bytes: Uint8Array): BinaryFrame | null {
	const format = readU32(bytes, HEADER_BYTES);
	const start = HEADER_BYTES + 4;
	if (format === null || bytes.length <= start) return null;
	return { type: 'preview', event: 1, mime: mimeOfFormat(format), image: bytes.subarray(start) };
}

function decodeMetadataPreview(bytes: Uint8Array): BinaryFrame | null {
	const jsonLength = readU32(bytes, HEADER_BYTES);
	const jsonStart = HEADER_BYTES + 4;
	if (jsonLength === null || jsonStart + jsonLength >= bytes.length) return null;
	const text = decodeUtf8(bytes.subarray(jsonStart, jsonStart + jsonLength));
	if (text === null) return null;
	let meta: unknown;
	try {
		meta = JSON.parse(text);
	} catch {
		return null;
	}
	if (typeof meta !== 'object' || meta === null || Array.isArray(meta)) return null;
	const m = meta as PreviewMetadata;
	const mime = typeof m.image_type === 'string' && m.image_type.startsWith('image/') ? m.image_type : 'image/jpeg';
	return { type: 'preview', event: 4, mime, image: bytes.subarray(jsonStart + jsonLength), meta: m };
}

function decodeText(bytes: Uint8Array): BinaryFrame | null {
	const idLength = readU32(bytes, HEADER_BYTES);
	const idStart = HEADER_BYTES + 4;
	if (idLength === null || idStart + idLength > bytes.length) return null;
	const nodeId = decodeUtf8(bytes.subarray(idStart, idStart + idLength));
	const text = decodeUtf8(bytes.subarray(idStart + idLength));
	if (nodeId === null || text === null) return null;
	return { type: 'text', nodeId, text };
}

/**
 * Decodes one binary frame. Returns null for unknown event types (ignored, like the official frontend),
 * truncated frames, previews without image bytes and undecodable metadata. The image is a view, not a copy.
 */
export function decodeFrame(buf: ArrayBuffer | Uint8Array): BinaryFrame | null {
	const bytes = toBytes(buf);
	switch (readU32(bytes, 0)) {
		case FRAME_PREVIEW_IMAGE:
			return decodeLegacyPreview(bytes);
		case FRAME_PREVIEW_WITH_METADATA:
			return decodeMetadataPreview(bytes);
		case FRAME_TEXT:
			return decodeText(bytes);
		default:
			return null;
	}
}

function frame(event: number, parts: Uint8Array[], lengthPrefix?: number): Uint8Array {
	const headerLength = lengthPrefix === undefined ? 4 : 8;
	const total = headerLength + parts.reduce((n, p) => n + p.length, 0);
	const out = new Uint8Array(total);
	const view = new DataView(out.buffer);
	view.setUint32(0, event, false);
	if (lengthPrefix !== undefined) view.setUint32(4, lengthPrefix, false);
	let offset = headerLength;
	for (const part of parts) {
		out.set(part, offset);
		offset += part.length;
	}
	return out;
}

export interface PreviewFrameInput {
	/** MIME type, `image/jpeg` or `image/png`. */
	imageType: string;
	image: Uint8Array;
	/** With metadata the frame is type 4 (and `image_type` is filled from `imageType`); without, type 1. */
	meta?: PreviewMetadata;
}

export function encodePreviewFrame({ imageType, image, meta }: PreviewFrameInput): Uint8Array {
	if (meta === undefined) {
		const format = imageType === 'image/png' ? IMAGE_FORMAT_PNG : IMAGE_FORMAT_JPEG;
		return frame(FRAME_PREVIEW_IMAGE, [image], format);
	}
	const json = utf8.encode(JSON.stringify({ ...meta, image_type: meta.image_type ?? imageType }));
	return frame(FRAME_PREVIEW_WITH_METADATA, [json, image], json.length);
}

export function encodeTextFrame(nodeId: string, text: string): Uint8Array {
	const id = utf8.encode(nodeId);
	return frame(FRAME_TEXT, [id, utf8.encode(text)], id.length);
}
