// The server's socket registry and its delivery rules (comfyui-protocol.md §2.1, §2.3): one socket per sid,
// `null` as the recipient means broadcast, and a message for a sid without a socket is dropped, never buffered.
import { randomUUID } from 'node:crypto';
import type { WebSocket } from 'ws';
import type { ServerFeatures } from '../../src/lib/comfy/types';

interface Client {
	ws: WebSocket;
	flags: Record<string, unknown>;
}

export class WsHub {
	#clients = new Map<string, Client>();
	/** The client_id of the prompt being executed (the executor sets it), or null. */
	currentClient: string | null = null;
	/** The node being executed, replayed to a reconnecting current client as `executing {node}`. */
	lastNodeId: string | null = null;

	constructor(
		private readonly queueRemaining: () => number,
		private readonly features: ServerFeatures
	) {}

	/** Registers a new socket. Like the server, a same-id socket is unregistered but not closed. */
	attach(ws: WebSocket, clientId: string | null): string {
		const sid = clientId || randomUUID().replaceAll('-', '');
		this.#clients.set(sid, { ws, flags: {} });
		this.sendJson('status', { status: this.statusInfo(), sid }, sid);
		if (this.currentClient === sid && this.lastNodeId !== null) this.sendJson('executing', { node: this.lastNodeId }, sid);
		let first = true;
		ws.on('message', (data, isBinary) => {
			if (!first || isBinary) return;
			const message = parseJson(data.toString());
			if (message === null) return;
			first = false;
			if (message.type !== 'feature_flags') return;
			const flags = message.data;
			const client = this.#clients.get(sid);
			if (client && client.ws === ws) client.flags = typeof flags === 'object' && flags !== null ? flags : {};
			this.sendJson('feature_flags', this.features, sid);
		});
		// The server pops whatever is registered under the sid when a socket ends, even a newer replacement
		// (the registry hazard of §2.1); clients and the relay must cope with it, so it is kept.
		ws.on('close', () => this.#clients.delete(sid));
		return sid;
	}

	statusInfo(): { exec_info: { queue_remaining: number } } {
		return { exec_info: { queue_remaining: this.queueRemaining() } };
	}

	broadcastStatus(): void {
		this.sendJson('status', { status: this.statusInfo() }, null);
	}

	supportsPreviewMetadata(sid: string | null): boolean {
		return sid !== null && this.#clients.get(sid)?.flags.supports_preview_metadata === true;
	}

	sendJson(type: string, data: unknown, sid: string | null): void {
		this.#deliver(JSON.stringify({ type, data }), sid);
	}

	sendBinary(bytes: Uint8Array, sid: string | null): void {
		this.#deliver(bytes, sid);
	}

	#deliver(payload: string | Uint8Array, sid: string | null): void {
		const targets = sid === null ? [...this.#clients.values()] : [this.#clients.get(sid)].filter((c) => c !== undefined);
		for (const { ws } of targets) {
			if (ws.readyState === ws.OPEN) ws.send(payload, () => undefined);
		}
	}

	/** Cuts sockets abruptly (no close handshake), as a network drop would: the client sees code 1006. */
	drop(sid: string | null = null): void {
		for (const [id, { ws }] of this.#clients) if (sid === null || id === sid) ws.terminate();
	}
}

function parseJson(text: string): { type?: unknown; data?: Record<string, unknown> } | null {
	try {
		const value: unknown = JSON.parse(text);
		return typeof value === 'object' && value !== null ? (value as { type?: unknown; data?: Record<string, unknown> }) : null;
	} catch {
		return null;
	}
}
