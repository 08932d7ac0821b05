// Runs in Node before the workerd tests: the ComfyUI emulator behind a proxy on the fixed port that the Worker's
// COMFY_URL names (wrangler.test.toml), a control port through which tests cut the "tunnel", and a fake Web Push
// service on the port PUSH_TEST_ORIGIN names; and the extra rigs RIGS names, each an emulator behind a recording proxy.
import http from 'node:http';
import { startTunnelledUpstream } from '../../tools/relay-upstream';
import { startRigUpstream } from './rig-upstreams';

const UPSTREAM_PORT = 18188;
const CONTROL_PORT = 18189;
const PUSH_PORT = 18190;
/** The rigs of RIGS in wrangler.test.toml. */
const RIG_PORTS = { attic: 18191, garage: 18192 } as const;

type PushRequest = { path: string; headers: Record<string, string>; body: string };

/**
 * Records every POST it receives; answers 410 under /gone/ (a subscription the browser dropped), 307 under
 * /redirect/, else 201.
 * `GET /recorded?path=P` returns what was posted to P (body base64), for the tests to decrypt and check.
 */
function startFakePushService(): http.Server {
	const recorded: PushRequest[] = [];
	return http.createServer((req, res) => {
		const url = new URL(req.url ?? '/', 'http://push');
		if (req.method === 'GET' && url.pathname === '/recorded') {
			return void res.end(JSON.stringify(recorded.filter((r) => r.path === url.searchParams.get('path'))));
		}
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
			recorded.push({ path: url.pathname, headers, body: Buffer.concat(chunks).toString('base64') });
			// A push service never redirects; one that did must not be followed off the checked host.
			if (url.pathname.startsWith('/redirect/')) res.setHeader('Location', `/push/followed${url.pathname}`);
			res.statusCode = url.pathname.startsWith('/gone/') ? 410 : url.pathname.startsWith('/redirect/') ? 307 : 201;
			res.end();
		});
	});
}

export default async function setup(): Promise<() => Promise<void>> {
	const upstream = await startTunnelledUpstream({ port: UPSTREAM_PORT });
	const rigs = new Map(await Promise.all(Object.entries(RIG_PORTS).map(async ([name, port]) => [name, await startRigUpstream(name, port)] as const)));
	const control = http.createServer((req, res) => {
		const url = new URL(req.url ?? '/', 'http://control');
		if (url.pathname === '/cut') upstream.cut(Number(url.searchParams.get('downMs') ?? 0));
		if (url.pathname === '/mute') upstream.mute();
		if (url.pathname === '/sockets') return void res.end(JSON.stringify(upstream.maxSocketsPerClient()));
		if (url.pathname === '/rig-requests') return void res.end(JSON.stringify(rigs.get(url.searchParams.get('rig') ?? '')?.recorded() ?? null));
		res.end('ok');
	});
	await new Promise<void>((resolve) => control.listen(CONTROL_PORT, '127.0.0.1', resolve));
	const push = startFakePushService();
	await new Promise<void>((resolve) => push.listen(PUSH_PORT, '127.0.0.1', resolve));
	return async () => {
		await new Promise((resolve) => push.close(resolve));
		await new Promise((resolve) => control.close(resolve));
		await upstream.close();
		for (const rig of rigs.values()) await rig.close();
	};
}
