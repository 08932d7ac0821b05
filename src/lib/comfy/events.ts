// What an EventStream emits: decoded JSON messages, preview images, node progress text and connection changes.
// `eventFromWire` is shared by every EventStream (direct socket, relay socket) so they decode identically.
// The stream's interface lives here too, beside what it emits, so socket.ts, which implements it, need not import
// transport.ts, which builds on socket.ts.
import { decodeFrame } from './frames';
import { parseMessage, type ComfyMessage } from './messages';

export type ConnectionStatus = 'idle' | 'connecting' | 'live' | 'reconnecting' | 'offline';

export interface ConnectionState {
	status: ConnectionStatus;
	/** ms epoch of the last frame or message received; null before the first. */
	lastEventAt: number | null;
	/** Reconnect attempts since the last time the stream was live. */
	attempt: number;
	error?: string;
}

export interface EventStream {
	connect(): void;
	close(): void;
	/** Returns the unsubscribe function. Listeners that throw do not break the stream. */
	subscribe(fn: (e: ComfyEvent) => void): () => void;
	readonly state: ConnectionState;
	/** Skips the backoff wait and reconnects now (the page became visible again, the network came back). */
	retryNow(): void;
}

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
