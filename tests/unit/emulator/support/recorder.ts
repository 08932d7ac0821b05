// A WebSocket client that records what a capture client recorded: text messages parsed, binary frames decoded
// into their header fields (event, format, metadata, text) and the image kind from its magic bytes.
import WebSocket from 'ws';
import { decodeFrame } from '../../../../src/lib/comfy/frames';

export type Recorded =
	| { kind: 'text'; msg: { type: string; data: Record<string, unknown> } }
	| {
			kind: 'binary';
			event: number;
			format?: number;
			meta?: Record<string, unknown>;
			imageType?: string;
			nodeId?: string;
			text?: string;
	  };

function imageKind(bytes: Uint8Array): string {
	if (bytes[0] === 0xff && bytes[1] === 0xd8) return 'jpeg';
	if (bytes[0] === 0x89 && bytes[1] === 0x50) return 'png';
	return 'unknown';
}

export function decodeBinary(bytes: Uint8Array): Recorded {
	const frame = decodeFrame(bytes);
	const event = new DataView(bytes.buffer, bytes.byteOffset, bytes.length).getUint32(0);
	if (!frame) return { kind: 'binary', event };
	if (frame.type === 'text') return { kind: 'binary', event, nodeId: frame.nodeId, text: frame.text };
	if (frame.event === 1) {
		return { kind: 'binary', event, format: frame.mime === 'image/png' ? 2 : 1, imageType: imageKind(frame.image) };
	}
	return { kind: 'binary', event, meta: frame.meta, imageType: imageKind(frame.image) };
}

export class Recorder {
	readonly records: Recorded[] = [];
	readonly images: Uint8Array[] = [];
	/** Arrival times (performance.now()) of the binary frames, parallel to `images`. */
	readonly imageTimes: number[] = [];
	readonly ws: WebSocket;
	#listeners = new Set<() => void>();
	closed = false;

	private constructor(ws: WebSocket) {
		this.ws = ws;
		ws.on('message', (data, isBinary) => {
			if (isBinary) {
				const bytes = new Uint8Array(data as Buffer);
				this.records.push(decodeBinary(bytes));
				this.images.push(bytes);
				this.imageTimes.push(performance.now());
			} else {
				this.records.push({ kind: 'text', msg: JSON.parse(String(data)) });
			}
			for (const listener of this.#listeners) listener();
		});
		ws.on('close', () => {
			this.closed = true;
			for (const listener of this.#listeners) listener();
		});
	}

	/** Connects to `${base}/ws` (clientId optional) and, like capture client C, may send feature_flags first. */
	static async connect(base: string, clientId?: string, featureFlags?: Record<string, unknown>): Promise<Recorder> {
		const url = `${base.replace(/^http/, 'ws')}/ws${clientId ? `?clientId=${encodeURIComponent(clientId)}` : ''}`;
		const ws = new WebSocket(url);
		const recorder = new Recorder(ws);
		await new Promise<void>((resolve, reject) => {
			ws.once('open', () => resolve());
			ws.once('error', reject);
		});
		if (featureFlags) ws.send(JSON.stringify({ type: 'feature_flags', data: featureFlags }));
		await recorder.waitFor((r) => r.kind === 'text' && r.msg.type === 'status');
		return recorder;
	}

	texts(type?: string): { type: string; data: Record<string, unknown> }[] {
		return this.records.flatMap((r) => (r.kind === 'text' && (!type || r.msg.type === type) ? [r.msg] : []));
	}

	/** Resolves when a record (from index `from`) satisfies `predicate`. */
	waitFor(predicate: (r: Recorded) => boolean, timeoutMs = 10_000, from = 0): Promise<void> {
		return new Promise((resolve, reject) => {
			const check = () => {
				if (this.records.slice(from).some(predicate)) {
					this.#listeners.delete(check);
					clearTimeout(timer);
					resolve();
				}
			};
			const timer = setTimeout(() => {
				this.#listeners.delete(check);
				reject(new Error(`timed out waiting; got ${JSON.stringify(this.records.slice(from).map((r) => (r.kind === 'text' ? r.msg.type : `bin${r.event}`)))}`));
			}, timeoutMs);
			this.#listeners.add(check);
			check();
		});
	}

	waitForDone(promptId: string, from = 0): Promise<void> {
		return this.waitFor((r) => r.kind === 'text' && r.msg.type === 'executing' && r.msg.data.node === null && r.msg.data.prompt_id === promptId, 15_000, from);
	}

	async close(): Promise<void> {
		if (this.closed) return;
		const closed = new Promise<void>((resolve) => this.ws.once('close', () => resolve()));
		this.ws.close();
		await closed;
	}
}
