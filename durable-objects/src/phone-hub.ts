// Fan-out to the phones' hibernatable sockets. Text envelopes go to every phone, in order, and are never dropped.
// Previews are latest-wins per phone: a phone may have at most PREVIEW_WINDOW previews unacknowledged; beyond that
// the newest waits in a single slot (replacing an older waiting one) until an ack frees the window. A waiting
// preview is dropped when a text envelope is sent, so a phone never sees a preview after a later event.
// (workerd exposes no bufferedAmount, hence the phone's acks as the backpressure signal.)

export const PREVIEW_WINDOW = 4;

export interface PhoneAttachment {
	deviceId: string;
}

interface PhoneFlow {
	inflight: number;
	waiting: ArrayBuffer | null;
}

export class PhoneHub {
	/** Lost when the object hibernates, which only happens when no previews flow; a fresh flow is then correct. */
	readonly #flows = new WeakMap<WebSocket, PhoneFlow>();

	constructor(private readonly ctx: DurableObjectState) {}

	accept(socket: WebSocket, deviceId: string): void {
		this.ctx.acceptWebSocket(socket, [deviceId]);
		socket.serializeAttachment({ deviceId } satisfies PhoneAttachment);
		this.#flows.set(socket, { inflight: 0, waiting: null });
	}

	/** Open phone sockets, not counting `leaving` (the one whose close is being handled). */
	count(leaving?: WebSocket): number {
		return this.ctx.getWebSockets().filter((s) => s !== leaving && s.readyState === WebSocket.OPEN).length;
	}

	/** Text envelopes, and binary frames that are not previews (node progress text): never dropped. */
	sendText(data: string | ArrayBuffer): void {
		for (const socket of this.ctx.getWebSockets()) {
			const flow = this.#flow(socket);
			flow.waiting = null;
			this.#send(socket, data);
		}
	}

	sendPreview(frame: ArrayBuffer): void {
		for (const socket of this.ctx.getWebSockets()) {
			const flow = this.#flow(socket);
			if (flow.inflight < PREVIEW_WINDOW) {
				flow.inflight++;
				this.#send(socket, frame);
			} else {
				flow.waiting = frame;
			}
		}
	}

	ack(socket: WebSocket): void {
		const flow = this.#flow(socket);
		flow.inflight = Math.max(0, flow.inflight - 1);
		if (flow.waiting && flow.inflight < PREVIEW_WINDOW) {
			const frame = flow.waiting;
			flow.waiting = null;
			flow.inflight++;
			this.#send(socket, frame);
		}
	}

	closeDevice(deviceId: string, code: number, reason: string): void {
		for (const socket of this.ctx.getWebSockets(deviceId)) socket.close(code, reason);
	}

	#flow(socket: WebSocket): PhoneFlow {
		let flow = this.#flows.get(socket);
		if (!flow) {
			flow = { inflight: 0, waiting: null };
			this.#flows.set(socket, flow);
		}
		return flow;
	}

	/** A socket that cannot take a frame is closed rather than allowed to fail the broadcast to the others. */
	#send(socket: WebSocket, data: string | ArrayBuffer): void {
		try {
			socket.send(data);
		} catch {
			try {
				socket.close(1011, 'send failed');
			} catch {
				// already closed
			}
		}
	}
}
