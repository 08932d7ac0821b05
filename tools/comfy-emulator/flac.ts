// A minimal FLAC writer (16-bit PCM in VERBATIM subframes, no compression) with a VORBIS_COMMENT block, which is
// where ComfyUI's SaveAudio puts `prompt` and `workflow`. Browsers play it; importers read its metadata.

const BLOCK_SIZE = 4096;

function crc8(bytes: Uint8Array): number {
	let crc = 0;
	for (const b of bytes) {
		crc ^= b;
		for (let i = 0; i < 8; i++) crc = crc & 0x80 ? ((crc << 1) ^ 0x07) & 0xff : (crc << 1) & 0xff;
	}
	return crc;
}

function crc16(bytes: Uint8Array): number {
	let crc = 0;
	for (const b of bytes) {
		crc ^= b << 8;
		for (let i = 0; i < 8; i++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x8005) & 0xffff : (crc << 1) & 0xffff;
	}
	return crc;
}

/** The frame number in FLAC's UTF-8-like variable-length coding. */
function codedNumber(n: number): number[] {
	if (n < 0x80) return [n];
	const bytes: number[] = [];
	let rest = n;
	while (rest >= 0x40 >> bytes.length || bytes.length === 0) {
		bytes.unshift(0x80 | (rest & 0x3f));
		rest = Math.floor(rest / 64);
	}
	const lead = (0xff00 >> (bytes.length + 1)) & 0xff;
	return [lead | rest, ...bytes];
}

function metadataBlock(type: number, last: boolean, body: Uint8Array): Buffer {
	const head = Buffer.alloc(4);
	head[0] = (last ? 0x80 : 0) | type;
	head.writeUIntBE(body.length, 1, 3);
	return Buffer.concat([head, body]);
}

function streamInfo(sampleRate: number, totalSamples: number): Buffer {
	const info = Buffer.alloc(34);
	info.writeUInt16BE(BLOCK_SIZE, 0);
	info.writeUInt16BE(BLOCK_SIZE, 2);
	// sample rate (20 bits) | channels-1 (3) | bits-1 (5) | total samples (36): packed into bytes 10..17.
	const packed = (BigInt(sampleRate) << 44n) | (0n << 41n) | (15n << 36n) | BigInt(totalSamples);
	info.writeBigUInt64BE(packed, 10);
	return info;
}

function vorbisComments(comments: [string, string][]): Buffer {
	const vendor = Buffer.from('comfy-emulator');
	const parts = [Buffer.alloc(4), vendor, Buffer.alloc(4)];
	parts[0].writeUInt32LE(vendor.length);
	parts[2].writeUInt32LE(comments.length);
	for (const [key, value] of comments) {
		const entry = Buffer.from(`${key}=${value}`, 'utf8');
		const length = Buffer.alloc(4);
		length.writeUInt32LE(entry.length);
		parts.push(length, entry);
	}
	return Buffer.concat(parts);
}

function frame(index: number, samples: Int16Array): Buffer {
	const header = Buffer.from([0xff, 0xf8, 0x70, 0x08, ...codedNumber(index), 0, 0]);
	header.writeUInt16BE(samples.length - 1, header.length - 2);
	const body = Buffer.alloc(1 + samples.length * 2);
	body[0] = 0x02;
	for (let i = 0; i < samples.length; i++) body.writeInt16BE(samples[i], 1 + i * 2);
	const withCrc8 = Buffer.concat([header, Buffer.from([crc8(header)]), body]);
	const footer = Buffer.alloc(2);
	footer.writeUInt16BE(crc16(withCrc8));
	return Buffer.concat([withCrc8, footer]);
}

/** Mono 16-bit FLAC. */
export function encodeFlac(samples: Int16Array, sampleRate: number, comments: [string, string][]): Buffer {
	const frames: Buffer[] = [];
	for (let start = 0, i = 0; start < samples.length; start += BLOCK_SIZE, i++) {
		frames.push(frame(i, samples.subarray(start, start + BLOCK_SIZE)));
	}
	return Buffer.concat([
		Buffer.from('fLaC'),
		metadataBlock(0, false, streamInfo(sampleRate, samples.length)),
		metadataBlock(4, true, vorbisComments(comments)),
		...frames
	]);
}
