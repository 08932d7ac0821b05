// The relay Worker in a local workerd, for the Node-side integration test and the benchmark: real phone clients (ws)
// against the real Worker and Durable Object, with the emulator as ComfyUI. Wrangler bundles the Worker exactly as
// it would deploy it (`deploy --dry-run`); Miniflare then serves it directly, without wrangler dev's proxy in the
// way of the measurements.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Miniflare } from 'miniflare';

export interface LocalRelay {
	url: string;
	adminSecret: string;
	dispose(): Promise<void>;
}

const CONFIG = 'durable-objects/relay.wrangler.toml';
const COMPATIBILITY_DATE = '2026-04-20';

function bundleWorker(outdir: string): string {
	const result = spawnSync('npx', ['wrangler', 'deploy', '--dry-run', '--outdir', outdir, '-c', CONFIG], {
		encoding: 'utf8',
		env: { ...process.env, WRANGLER_SEND_METRICS: 'false' }
	});
	if (result.status !== 0) throw new Error(`bundling the relay failed:\n${result.stderr || result.stdout}`);
	return path.join(outdir, 'index.js');
}

/** `bindings`: more vars and secrets, e.g. RIGS and a rig's COMFY_ACCESS_CLIENT_ID_<RIG>. */
export async function startLocalRelay(opts: { comfyUrl: string; adminSecret?: string; bindings?: Record<string, string> }): Promise<LocalRelay> {
	const adminSecret = opts.adminSecret ?? `local-${Math.random().toString(36).slice(2)}`;
	const dir = mkdtempSync(path.join(tmpdir(), 'comfy-pocket-relay-'));
	const mf = new Miniflare({
		modules: true,
		modulesRoot: dir,
		scriptPath: bundleWorker(dir),
		compatibilityDate: COMPATIBILITY_DATE,
		compatibilityFlags: ['nodejs_compat'],
		durableObjects: { RELAY: { className: 'Relay', useSQLite: true } },
		bindings: { ...opts.bindings, COMFY_URL: opts.comfyUrl, ADMIN_SECRET: adminSecret },
		host: '127.0.0.1',
		port: 0
	});
	const url = (await mf.ready).toString().replace(/\/+$/, '');
	return {
		url,
		adminSecret,
		async dispose() {
			await mf.dispose();
			rmSync(dir, { recursive: true, force: true });
		}
	};
}

/** Pairs one device through the admin API, as `npm run pair` and the /pair page do together. */
export async function pairDevice(relay: LocalRelay, name = 'bench'): Promise<{ deviceId: string; token: string }> {
	const codeRes = await fetch(`${relay.url}/relay/admin/codes`, { method: 'POST', headers: { Authorization: `Bearer ${relay.adminSecret}` } });
	if (!codeRes.ok) throw new Error(`pairing code: ${codeRes.status}`);
	const { code } = (await codeRes.json()) as { code: string };
	const pairRes = await fetch(`${relay.url}/relay/pair`, { method: 'POST', body: JSON.stringify({ code, name }) });
	if (!pairRes.ok) throw new Error(`pair: ${pairRes.status}`);
	return (await pairRes.json()) as { deviceId: string; token: string };
}
