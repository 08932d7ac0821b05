#!/usr/bin/env node
// `npm start`: build the app and serve it with the relay in workerd (`wrangler dev`), against the ComfyUI at
// COMFY_URL (default http://127.0.0.1:8188), then print a pairing link for this browser or a phone.
// `npm run demo`: the same, with the ComfyUI emulator as the server (the app labels it "simulated").
// HOST=0.0.0.0 makes it reachable from phones on the LAN; PORT changes the port (default 8787).
// Browsers and phones talk to a front door on HOST:PORT (tools/front-door.mjs), which stands in for Cloudflare's
// edge: it sets CF-Connecting-IP from the connection, so the relay's lockout counts real addresses. wrangler dev
// itself listens on 127.0.0.1:RELAY_INTERNAL_PORT only (default PORT + 1).
import { spawn, spawnSync } from 'node:child_process';
import { networkInterfaces } from 'node:os';
import { startFrontDoor } from './front-door.mjs';
import { createPairingCode, ensureDevAdminSecret, pairingLinkFor, printPairing } from './relay-admin.mjs';

const demo = process.argv.includes('--demo');
const port = Number(process.env.PORT ?? 8787);
const host = process.env.HOST ?? '127.0.0.1';
const internalPort = Number(process.env.RELAY_INTERNAL_PORT ?? port + 1);
let comfyUrl = process.env.COMFY_URL ?? 'http://127.0.0.1:8188';
const children = [];

function stopAll(code = 0) {
	for (const child of children) {
		try {
			process.kill(-child.pid, 'SIGKILL');
		} catch {
			// already gone
		}
	}
	process.exit(code);
}
process.on('SIGINT', () => stopAll(0));
process.on('SIGTERM', () => stopAll(0));

/** The address a phone on the LAN can open when the server listens on every interface. */
function publicHost() {
	if (host !== '0.0.0.0') return host;
	for (const addresses of Object.values(networkInterfaces())) {
		const lan = addresses?.find((a) => a.family === 'IPv4' && !a.internal);
		if (lan) return lan.address;
	}
	return '127.0.0.1';
}

async function waitFor(url, accept, timeoutMs) {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		try {
			const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
			await res.body?.cancel();
			if (accept(res.status)) return true;
		} catch {
			// not up yet
		}
		await new Promise((r) => setTimeout(r, 300));
	}
	return false;
}

const adminSecret = ensureDevAdminSecret();

if (demo) {
	const emuPort = Number(process.env.EMULATOR_PORT ?? 8189);
	comfyUrl = `http://127.0.0.1:${emuPort}`;
	const emu = spawn('npx', ['tsx', 'tools/comfy-emulator/cli.ts', '--port', String(emuPort)], { stdio: 'inherit', detached: true });
	children.push(emu);
}

console.log('Building the app…');
const build = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], { stdio: 'inherit' });
if (build.status !== 0) stopAll(build.status ?? 1);

const wrangler = spawn(
	'npx',
	['wrangler', 'dev', '--ip', '127.0.0.1', '--port', String(internalPort), '--var', `COMFY_URL:${comfyUrl}`, ...(demo ? ['--var', 'COMFY_SIMULATED:1'] : [])],
	{ stdio: ['ignore', 'inherit', 'inherit'], detached: true, env: { ...process.env, WRANGLER_SEND_METRICS: 'false' } }
);
children.push(wrangler);
wrangler.on('exit', (code) => stopAll(code ?? 0));

await startFrontDoor({ host, port, target: { host: '127.0.0.1', port: internalPort } }).catch((error) => {
	console.error(`Could not listen on ${host}:${port}: ${error instanceof Error ? error.message : String(error)}`);
	stopAll(1);
});

const local = `http://127.0.0.1:${port}`;
const origin = `http://${publicHost()}:${port}`;
// The relay answers 401 to an unauthenticated /relay/info: that is "up".
if (!(await waitFor(`${local}/relay/info`, (s) => s === 401, 60_000))) {
	console.error(`The relay did not come up on ${local} within a minute; see wrangler's output above.`);
	stopAll(1);
}
const comfyUp = await waitFor(`${comfyUrl}/api/system_stats`, (s) => s === 200, demo ? 20_000 : 3_000);

console.log(`\nComfy Pocket: ${origin}/   (relay at ${origin}/relay/, ComfyUI: ${comfyUrl}${demo ? ', simulated' : ''})`);
if (!comfyUp) {
	console.log(
		`\n  No ComfyUI answers at ${comfyUrl}. Start ComfyUI (python main.py --listen 127.0.0.1 --port 8188),` +
			`\n  or run \`COMFY_URL=http://host:port npm start\`, or try \`npm run demo\` with the emulator.` +
			`\n  The app shows the relay as "reconnecting" until ComfyUI answers.\n`
	);
}
try {
	const { code, expiresAt } = await createPairingCode(local, adminSecret);
	await printPairing(pairingLinkFor(origin, code), expiresAt);
	console.log('Another phone later: `npm run pair` (reads ADMIN_SECRET from .dev.vars). Ctrl-C stops everything.');
} catch (error) {
	console.error(`Could not create a pairing code: ${error instanceof Error ? error.message : String(error)}`);
}
