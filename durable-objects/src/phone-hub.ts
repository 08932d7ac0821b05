// Fan-out to the phones' hibernatable sockets. Text envelopes go to every phone, in order, and are never dropped.
// Previews are latest-wins per phone: a phone may have at most PREVIEW_WINDOW previews unacknowledged; beyond that
// the newest waits in a single slot (replacing an older waiting one) until an ack frees the window. A waiting
// preview is dropped when a text envelope is sent, so a phone never sees a preview after a later event.
// (workerd exposes no bufferedAmount, hence the phone's acks as the backpressure signal.)
import { CLOSE_TOO_MANY_SOCKETS, CLOSE_TOO_SLOW, MAX_SOCKETS_PER_DEVICE, PREVIEW_WINDOW } from '../../src/lib/relay/protocol';

/**
 * A phone whose preview window stays full this long is not reading (a half-open connection, a frozen tab): its text
 * backlog would only grow in the runtime's buffers. Closing it makes the phone reconnect and resume by seq.
 */
export const STALL_CLOSE_MS = 30_000;

export interface PhoneAttachment {
	deviceId: string;
	/** ms epoch, strictly increasing across accepts: decides which socket of a device is the oldest. */
	openedAt?: number;
}

interface PhoneFlow {
	inflight: number;
	waiting: ArrayBuffer | null;
	/** When the window filled up, if it is full now. */
	fullSince: number | null;
}

export class PhoneHub {
	/**
	 * The open phone sockets and their preview flow. Kept here rather than asking the runtime for its socket list on
	 * every frame (that builds a fresh array of wrappers each time, per preview, per phone). Rebuilt from the
	 * runtime after a wake-up from hibernation, when only the sockets themselves survived.
	 */
	readonly #phones = new Map<WebSocket, PhoneFlow>();

	#lastOpenedAt = 0;

	/** Public so tests can shorten it. */
	stallCloseMs = STALL_CLOSE_MS;

	constructor(
		private readonly ctx: DurableObjectState,
		private readonly now: () => number = Date.now
	) {
		for (const socket of ctx.getWebSockets()) {
			this.#phones.set(socket, newFlow());
			this.#lastOpenedAt = Math.max(this.#lastOpenedAt, openedAt(socket));
		}
	}

	accept(socket: WebSocket, deviceId: string): void {
		this.ctx.acceptWebSocket(socket, [deviceId]);
		this.#lastOpenedAt = Math.max(this.now(), this.#lastOpenedAt + 1);
		socket.serializeAttachment({ deviceId, openedAt: this.#lastOpenedAt } satisfies PhoneAttachment);
		this.#phones.set(socket, newFlow());
		this.#capDevice(deviceId);
	}

	/** Keeps at most MAX_SOCKETS_PER_DEVICE open sockets per device, closing the oldest first. */
	#capDevice(deviceId: string): void {
		const open = this.ctx.getWebSockets(deviceId).filter((s) => this.#phones.has(s));
		if (open.length <= MAX_SOCKETS_PER_DEVICE) return;
		open.sort((a, b) => openedAt(a) - openedAt(b));
		for (const socket of open.slice(0, open.length - MAX_SOCKETS_PER_DEVICE)) {
			this.#phones.delete(socket);
			try {
				socket.close(CLOSE_TOO_MANY_SOCKETS, 'too many connections from this device; this was the oldest');
			} catch {
				// already closing
			}
		}
	}

	/** Forgets a socket whose close or error is being handled. */
	remove(socket: WebSocket): void {
		this.#phones.delete(socket);
	}

	get count(): number {
		return this.#phones.size;
	}

	/** Text envelopes, and binary frames that are not previews (node progress text): never dropped. */
	sendText(data: string | ArrayBuffer): void {
		for (const [socket, flow] of this.#phones) {
			flow.waiting = null;
			this.#send(socket, data);
		}
	}

	sendPreview(frame: ArrayBuffer): void {
		const now = this.now();
		for (const [socket, flow] of this.#phones) {
			if (flow.inflight < PREVIEW_WINDOW) {
				flow.inflight++;
				this.#send(socket, frame);
			} else if (flow.fullSince === null) {
				flow.fullSince = now;
				flow.waiting = frame;
			} else if (now - flow.fullSince > this.stallCloseMs) {
				this.#phones.delete(socket);
				socket.close(CLOSE_TOO_SLOW, 'not reading; reconnect and resume');
			} else {
				flow.waiting = frame;
			}
		}
	}

	ack(socket: WebSocket, count: number): void {
		const flow = this.#phones.get(socket);
		if (!flow) return;
		flow.inflight = Math.max(0, flow.inflight - count);
		flow.fullSince = null;
		if (flow.waiting && flow.inflight < PREVIEW_WINDOW) {
			const frame = flow.waiting;
			flow.waiting = null;
			flow.inflight++;
			this.#send(socket, frame);
		}
	}

	closeDevice(deviceId: string, code: number, reason: string): void {
		for (const socket of this.ctx.getWebSockets(deviceId)) {
			this.#phones.delete(socket);
			socket.close(code, reason);
		}
	}

	/** A socket that cannot take a frame is closed rather than allowed to fail the broadcast to the others. */
	#send(socket: WebSocket, data: string | ArrayBuffer): void {
		try {
			socket.send(data);
		} catch {
			this.#phones.delete(socket);
			try {
				socket.close(1011, 'send failed');
			} catch {
				// already closed
			}
		}
	}
}

function openedAt(socket: WebSocket): number {
	return (socket.deserializeAttachment() as PhoneAttachment | null)?.openedAt ?? 0;
}

function newFlow(): PhoneFlow {
	return { inflight: 0, waiting: null, fullSince: null };
}
