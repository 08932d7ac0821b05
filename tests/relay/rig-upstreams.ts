// Node side of the rig tests: one ComfyUI emulator per extra rig (RIGS in wrangler.test.toml), each behind a
// recording proxy on a fixed port that notes every request's method, path and headers, WebSocket upgrades
// included. The tests read the notes through the control port (`/rig-requests?rig=NAME`).
import http from 'node:http';
import net from 'node:net';
import { startEmulator } from '../../tools/comfy-emulator/server';
import type { RecordedRequest } from './rig-support';

export interface RigUpstream {
	recorded(): RecordedRequest[];
	close(): Promise<void>;
}

/** `name` also names the one checkpoint the rig's emulator lists, so a test can tell the rigs apart. */
export async function startRigUpstream(name: string, port: number): Promise<RigUpstream> {
	const emulator = await startEmulator({ port: 0, stepMs: 20, models: { checkpoints: [`${name}.safetensors`] } });
	const recorded: RecordedRequest[] = [];
	const note = (req: http.IncomingMessage, upgrade: boolean) =>
		recorded.push({
			method: req.method ?? 'GET',
			path: req.url ?? '/',
			headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)])),
			upgrade
		});
	const server = http.createServer((req, res) => {
		note(req, false);
		const upstream = http.request({ host: '127.0.0.1', port: emulator.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
			res.writeHead(answer.statusCode ?? 502, answer.headers);
			answer.pipe(res);
		});
		upstream.on('error', () => res.destroy());
		req.pipe(upstream);
	});
	const sockets = new Set<net.Socket>();
	server.on('upgrade', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
		note(req, true);
		const upstream = net.connect(emulator.port, '127.0.0.1', () => {
			const lines = [`${req.method} ${req.url} HTTP/1.1`];
			for (let i = 0; i < req.rawHeaders.length; i += 2) lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
			upstream.write(`${lines.join('\r\n')}\r\n\r\n`);
			upstream.write(head);
			client.pipe(upstream).pipe(client);
		});
		for (const s of [client, upstream]) {
			sockets.add(s);
			s.on('close', () => sockets.delete(s));
			s.on('error', () => s.destroy());
		}
		client.on('close', () => upstream.destroy());
		upstream.on('close', () => client.destroy());
	});
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, '127.0.0.1', resolve);
	});
	return {
		recorded: () => [...recorded],
		async close() {
			for (const s of sockets) s.destroy();
			server.closeAllConnections();
			await new Promise((resolve) => server.close(resolve));
			await emulator.close();
		}
	};
}
