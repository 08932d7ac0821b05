// What an EventStream emits: decoded JSON messages, preview images, node progress text and connection changes.
// `eventFromWire` is shared by every EventStream (direct socket, relay socket) so they decode identically.
import { decodeFrame } from './frames';
import { parseMessage, type ComfyMessage } from './messages';
import type { ConnectionState } from './transport';

export type ComfyEvent =
	| { type: 'message'; message: ComfyMessage }
	| { type: 'preview'; promptId?: string; nodeId?: string; mime: string; image: Uint8Array }
	| { type: 'text'; nodeId: string; text: string }
	| { type: 'connection'; state: ConnectionState };

/** Turns one WebSocket payload into an event; null for anything unknown or malformed (ignored by design). */
export function eventFromWire(data: string | ArrayBuffer | Uint8Array): ComfyEvent | null {
	if (typeof data === 'string') {
		const message = parseMessage(data);
		return message ? { type: 'message', message } : null;
	}
	const frame = decodeFrame(data);
	if (frame === null) return null;
	if (frame.type === 'text') return { type: 'text', nodeId: frame.nodeId, text: frame.text };
	const preview: Extract<ComfyEvent, { type: 'preview' }> = { type: 'preview', mime: frame.mime, image: frame.image };
	const promptId = frame.meta?.prompt_id;
	const nodeId = frame.meta?.display_node_id ?? frame.meta?.node_id;
	if (typeof promptId === 'string') preview.promptId = promptId;
	if (typeof nodeId === 'string') preview.nodeId = nodeId;
	return preview;
}
