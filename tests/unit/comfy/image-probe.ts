// Just enough JPEG/PNG parsing to prove that decoded preview bytes are whole, valid images of the recorded size.

export function jpegSize(bytes: Uint8Array): [number, number] | null {
	if (bytes[0] !== 0xff || bytes[1] !== 0xd8) return null;
	if (bytes[bytes.length - 2] !== 0xff || bytes[bytes.length - 1] !== 0xd9) return null;
	let i = 2;
	while (i + 9 < bytes.length) {
		if (bytes[i] !== 0xff) return null;
		const marker = bytes[i + 1];
		const length = (bytes[i + 2] << 8) | bytes[i + 3];
		const isStartOfFrame = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
		if (isStartOfFrame) {
			const height = (bytes[i + 5] << 8) | bytes[i + 6];
			const width = (bytes[i + 7] << 8) | bytes[i + 8];
			return [width, height];
		}
		i += 2 + length;
	}
	return null;
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

export function pngSize(bytes: Uint8Array): [number, number] | null {
	if (!PNG_SIGNATURE.every((b, i) => bytes[i] === b)) return null;
	const tail = new TextDecoder().decode(bytes.subarray(bytes.length - 8, bytes.length - 4));
	if (tail !== 'IEND') return null;
	const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	return [view.getUint32(16), view.getUint32(20)];
}
