// Turns a recorded WebSocket transcript back into the ComfyEvents an EventStream would emit. Binary frames are
// rebuilt with the real encoders from their recorded headers; the image bytes are a stand-in of the recorded size.
import { eventFromWire, type ComfyEvent } from '$lib/comfy/events';
import { encodePreviewFrame, encodeTextFrame } from '$lib/comfy/frames';
import type { ConnectionState } from '$lib/comfy/transport';
import { transcript, type TranscriptLine } from './capture-files';

export function wirePayload(line: TranscriptLine): string | Uint8Array | null {
	if (line.dir !== 'recv') return null;
	if (line.kind === 'text') return line.raw ?? null;
	if (line.kind !== 'binary') return null;
	if (line.event === 3) return encodeTextFrame(line.node_id ?? '', line.text ?? '');
	const mime = line.image_type === 'png' || line.format_code === 2 ? 'image/png' : 'image/jpeg';
	const image = new Uint8Array(line.image_bytes ?? 1).fill(line.len ? line.len % 251 : 7);
	return encodePreviewFrame({ imageType: mime, image, meta: line.event === 4 ? line.metadata : undefined });
}

function connection(status: ConnectionState['status']): ComfyEvent {
	return { type: 'connection', state: { status, lastEventAt: null, attempt: status === 'live' ? 0 : 1 } };
}

/** The events of one or more transcripts in order; a recorded disconnect becomes a `reconnecting` state. */
export function replayEvents(...names: string[]): ComfyEvent[] {
	const events: ComfyEvent[] = [];
	for (const name of names) {
		for (const line of transcript(name)) {
			if (line.kind === 'meta' && (line as { info?: { closed?: boolean } }).info?.closed) {
				events.push(connection('reconnecting'));
				continue;
			}
			const payload = wirePayload(line);
			const event = payload === null ? null : eventFromWire(payload);
			if (!event) continue;
			events.push(event);
			if (event.type === 'message' && event.message.type === 'status' && 'sid' in event.message.data) {
				events.push(connection('live'));
			}
		}
	}
	return events;
}
