// Runs in Node before the workerd tests: the ComfyUI emulator behind a proxy on the fixed port that the Worker's
// COMFY_URL names (wrangler.test.toml), and a control port through which tests cut the "tunnel".
import http from 'node:http';
import { startTunnelledUpstream } from '../../tools/relay-upstream';

const UPSTREAM_PORT = 18188;
const CONTROL_PORT = 18189;

export default async function setup(): Promise<() => Promise<void>> {
	const upstream = await startTunnelledUpstream({ port: UPSTREAM_PORT });
	const control = http.createServer((req, res) => {
		const url = new URL(req.url ?? '/', 'http://control');
		if (url.pathname === '/cut') upstream.cut(Number(url.searchParams.get('downMs') ?? 0));
		if (url.pathname === '/mute') upstream.mute();
		if (url.pathname === '/sockets') return void res.end(JSON.stringify(upstream.maxSocketsPerClient()));
		res.end('ok');
	});
	await new Promise<void>((resolve) => control.listen(CONTROL_PORT, '127.0.0.1', resolve));
	return async () => {
		await new Promise((resolve) => control.close(resolve));
		await upstream.close();
	};
}
