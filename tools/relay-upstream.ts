// A ComfyUI emulator behind a TCP proxy that plays the tunnel, for the relay's tests and benchmark. Cutting the
// proxy kills every open connection (HTTP and WebSocket alike) and refuses new ones for a while, like an outage.
import net from 'node:net';
import { startEmulator } from './comfy-emulator/server';

export interface TunnelledUpstream {
	/** http://127.0.0.1:PORT of the proxy: what the relay's COMFY_URL names. */
	url: string;
	/** The emulator itself, for a direct client to compare against. */
	directUrl: string;
	cut(downMs: number): void;
	/**
	 * Silences every open connection from ComfyUI's side (bytes are dropped, sockets stay open): what a relay socket
	 * experiences when ComfyUI has silently unregistered its clientId. New connections are unaffected.
	 */
	mute(): void;
	/** Per clientId, the most ComfyUI WebSockets that were open at the same time (the relay must never exceed 1). */
	maxSocketsPerClient(): Record<string, number>;
	close(): Promise<void>;
}

export async function startTunnelledUpstream(opts: { port: number; stepMs?: number }): Promise<TunnelledUpstream> {
	const emulator = await startEmulator({ port: 0, stepMs: opts.stepMs ?? 20 });
	const target = new URL(emulator.url);
	const open = new Set<net.Socket>();
	const fromServer = new Map<net.Socket, net.Socket>();
	const openSockets = new Map<string, number>();
	const maxSockets: Record<string, number> = {};
	let downUntil = 0;

	// The first bytes of a connection are its request line: a WebSocket upgrade names the clientId.
	function countWebSocket(client: net.Socket): void {
		client.once('data', (chunk: Buffer) => {
			const match = /^GET \/(?:api\/)?ws\?clientId=([^ &]+)/.exec(chunk.toString('latin1', 0, 200));
			if (!match) return;
			const id = decodeURIComponent(match[1]);
			openSockets.set(id, (openSockets.get(id) ?? 0) + 1);
			maxSockets[id] = Math.max(maxSockets[id] ?? 0, openSockets.get(id) ?? 0);
			client.once('close', () => openSockets.set(id, (openSockets.get(id) ?? 1) - 1));
		});
	}

	const proxy = net.createServer((client) => {
		if (Date.now() < downUntil) return void client.destroy();
		const upstream = net.connect(Number(target.port), target.hostname);
		for (const s of [client, upstream]) {
			open.add(s);
			s.on('close', () => open.delete(s));
			s.on('error', () => s.destroy());
		}
		countWebSocket(client);
		client.pipe(upstream).pipe(client);
		fromServer.set(upstream, client);
		upstream.on('close', () => fromServer.delete(upstream));
		client.on('close', () => upstream.destroy());
		upstream.on('close', () => client.destroy());
	});
	await new Promise<void>((resolve, reject) => {
		proxy.once('error', reject);
		proxy.listen(opts.port, '127.0.0.1', resolve);
	});
	const address = proxy.address() as net.AddressInfo;

	return {
		url: `http://127.0.0.1:${address.port}`,
		directUrl: emulator.url,
		cut(downMs: number) {
			downUntil = Date.now() + downMs;
			for (const s of open) s.destroy();
		},
		maxSocketsPerClient: () => ({ ...maxSockets }),
		mute() {
			for (const [upstream, client] of fromServer) {
				upstream.unpipe(client);
				upstream.on('data', () => undefined);
			}
		},
		async close() {
			for (const s of open) s.destroy();
			await new Promise((resolve) => proxy.close(resolve));
			await emulator.close();
		}
	};
}
