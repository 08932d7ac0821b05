// The local stand-in for Cloudflare's edge in front of the relay (`npm start`). It listens where browsers and phones
// connect and passes every request, WebSocket upgrades included, to `wrangler dev` on loopback, with
// `CF-Connecting-IP` set to the address the connection came from, replacing whatever the client sent.
//
// Why: the relay counts failed attempts per `CF-Connecting-IP`. On Cloudflare the edge sets it and a client cannot
// forge it. Locally, workerd cannot tell a Worker the connection's address, and miniflare fills the header in only
// when the client sent none, so a client on the LAN could name a fresh address with every guess (30 forged values:
// 30 evaluated guesses, no lockout). Behind this door the rule is the same in both modes: the header comes from
// whoever accepted the TCP connection.
import http from 'node:http';
import net from 'node:net';

const CLIENT_IP = 'cf-connecting-ip';

/**
 * The connection's own address, as Cloudflare would give it: IPv4 clients of a dual-stack socket come as
 * `::ffff:a.b.c.d` and are given back as `a.b.c.d`.
 * @param {import('node:net').Socket} socket
 */
export function peerAddress(socket) {
	const address = socket.remoteAddress ?? '';
	return address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
}

/**
 * The request head as the target must see it: the client's headers in their order, minus any CF-Connecting-IP,
 * plus the one this door vouches for.
 * @param {http.IncomingMessage} req
 * @returns {string[]} raw header name/value pairs, flattened
 */
function forwardedHeaders(req) {
	const raw = [];
	for (let i = 0; i < req.rawHeaders.length; i += 2) {
		if (req.rawHeaders[i].toLowerCase() !== CLIENT_IP) raw.push(req.rawHeaders[i], req.rawHeaders[i + 1]);
	}
	raw.push('CF-Connecting-IP', peerAddress(req.socket));
	return raw;
}

/**
 * @param {{ host: string; port: number; target: { host: string; port: number } }} opts
 * @returns {Promise<{ port: number; close(): Promise<void> }>}
 */
export async function startFrontDoor({ host, port, target }) {
	const server = http.createServer((req, res) => {
		const upstream = http.request({ host: target.host, port: target.port, method: req.method, path: req.url, headers: forwardedHeaders(req) }, (answer) => {
			res.writeHead(answer.statusCode ?? 502, answer.statusMessage, answer.rawHeaders);
			answer.pipe(res);
		});
		upstream.on('error', () => {
			if (!res.headersSent) res.writeHead(502, { 'Content-Type': 'text/plain' }).end('The local relay (wrangler dev) did not answer.');
			else res.destroy();
		});
		req.on('error', () => upstream.destroy());
		req.pipe(upstream);
	});
	/** Upgraded connections leave the server's books: tracked here so close() ends them too. */
	const tunnels = new Set();
	server.on('upgrade', (req, socket, head) => {
		const upstream = net.connect(target.port, target.host, () => {
			const headers = forwardedHeaders(req);
			let text = `${req.method} ${req.url} HTTP/1.1\r\n`;
			for (let i = 0; i < headers.length; i += 2) text += `${headers[i]}: ${headers[i + 1]}\r\n`;
			upstream.write(`${text}\r\n`);
			if (head.length > 0) upstream.write(head);
			upstream.pipe(socket);
			socket.pipe(upstream);
		});
		tunnels.add(socket);
		const drop = () => {
			tunnels.delete(socket);
			upstream.destroy();
			socket.destroy();
		};
		upstream.on('error', drop);
		socket.on('error', drop);
		upstream.on('close', drop);
		socket.on('close', drop);
	});
	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, host, () => resolve(undefined));
	});
	const address = server.address();
	return {
		port: typeof address === 'object' && address ? address.port : port,
		close: () =>
			new Promise((resolve) => {
				for (const socket of tunnels) socket.destroy();
				server.closeAllConnections();
				server.close(() => resolve(undefined));
			})
	};
}
