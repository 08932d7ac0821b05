// A TCP proxy that can be started and cut, standing in for a LAN address that comes and goes (node `net`).
// Shared by the unit tests of the switching transport and the home-and-away e2e spec.
import net from 'node:net';

export interface TcpProxy {
	port: number;
	/** Starts listening (again) on the same port. */
	up(): Promise<void>;
	/** Stops listening and cuts every open connection, as leaving the Wi-Fi would. */
	down(): Promise<void>;
	readonly listening: boolean;
}

export async function tcpProxy(target: { host: string; port: number }, port = 0): Promise<TcpProxy> {
	const sockets = new Set<net.Socket>();
	let server: net.Server | null = null;
	let boundPort = port;
	const proxy: TcpProxy = {
		get port() {
			return boundPort;
		},
		get listening() {
			return server !== null;
		},
		async up() {
			if (server) return;
			const s = net.createServer((client) => {
				const upstream = net.connect(target.port, target.host);
				for (const sock of [client, upstream]) {
					sockets.add(sock);
					sock.on('close', () => sockets.delete(sock));
					sock.on('error', () => undefined);
				}
				client.pipe(upstream);
				upstream.pipe(client);
				client.on('close', () => upstream.destroy());
				upstream.on('close', () => client.destroy());
			});
			await new Promise<void>((resolve, reject) => {
				s.once('error', reject);
				s.listen(boundPort, '127.0.0.1', () => resolve());
			});
			boundPort = (s.address() as net.AddressInfo).port;
			server = s;
		},
		async down() {
			const s = server;
			server = null;
			for (const sock of sockets) sock.destroy();
			sockets.clear();
			if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
		}
	};
	return proxy;
}
