#!/usr/bin/env node
// `npm start`: build the app and serve it with the relay in workerd (`wrangler dev`), against a ComfyUI
// at COMFY_URL (default http://127.0.0.1:8188). `npm run demo`: the same, with the ComfyUI emulator as the server.
import { spawn, spawnSync } from 'node:child_process';

const demo = process.argv.includes('--demo');
const port = Number(process.env.PORT ?? 8787);
const host = process.env.HOST ?? '127.0.0.1';
let comfyUrl = process.env.COMFY_URL ?? 'http://127.0.0.1:8188';
const children = [];

function stopAll(code = 0) {
	for (const child of children) {
		try {
			process.kill(-child.pid, 'SIGKILL');
		} catch {
			/* already gone */
		}
	}
	process.exit(code);
}
process.on('SIGINT', () => stopAll(0));
process.on('SIGTERM', () => stopAll(0));

if (demo) {
	const emuPort = Number(process.env.EMULATOR_PORT ?? 8189);
	comfyUrl = `http://127.0.0.1:${emuPort}`;
	const emu = spawn('npx', ['tsx', 'tools/comfy-emulator/cli.ts', '--port', String(emuPort)], {
		stdio: 'inherit',
		detached: true
	});
	children.push(emu);
}

console.log('Building the app…');
const build = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], { stdio: 'inherit' });
if (build.status !== 0) stopAll(build.status ?? 1);

const wrangler = spawn(
	'npx',
	['wrangler', 'dev', '--ip', host, '--port', String(port), '--var', `COMFY_URL:${comfyUrl}`, ...(demo ? ['--var', 'COMFY_SIMULATED:1'] : [])],
	{ stdio: ['ignore', 'inherit', 'inherit'], detached: true, env: { ...process.env, WRANGLER_SEND_METRICS: 'false' } }
);
children.push(wrangler);
wrangler.on('exit', (code) => stopAll(code ?? 0));

console.log(`\nComfy Pocket: http://${host}:${port}/   (relay at http://${host}:${port}/relay/, ComfyUI: ${comfyUrl}${demo ? ', simulated' : ''})\n`);
