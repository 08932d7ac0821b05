// The real ports: fetch to api.cloudflare.com, child processes for wrangler and cloudflared, files in the home
// folder, plain HTTP probes, the relay's phone socket (ws) and the relay admin calls of tools/relay-admin.mjs.
import { spawn, spawnSync } from 'node:child_process';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname } from 'node:path';
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import WebSocket from 'ws';
import { createPairingCode, printPairing, revokeDevice } from '../relay-admin.mjs';
import { API_BASE } from './cloudflare-api';
import type { CommandOptions, CommandResult, HttpAnswer, Ports } from './ports';

export interface RealPorts extends Ports {
	setToken(token: string): void;
	setAccount(accountId: string): void;
}

function spawnCommand(program: string, args: string[], options: CommandOptions, env: NodeJS.ProcessEnv): Promise<CommandResult> {
	return new Promise((resolve, reject) => {
		// npx is npx.cmd on Windows, which only a shell runs.
		const shell = process.platform === 'win32';
		const child = spawn(program, args, { env, shell, stdio: options.interactive ? 'inherit' : ['pipe', 'pipe', 'pipe'] });
		let stdout = '';
		let stderr = '';
		child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
		child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
		child.on('error', reject);
		child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
		if (!options.interactive) child.stdin?.end(options.stdin ?? '');
	});
}

function networkMessage(error: unknown): string {
	const cause = (error as { cause?: { code?: string; message?: string } }).cause;
	return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}

async function ask(question: string, fallback: string, secret = false): Promise<string> {
	if (!process.stdin.isTTY) return fallback;
	let muted = false;
	const output = new Writable({
		write(chunk, _enc, done) {
			if (!muted) process.stdout.write(chunk);
			done();
		}
	});
	const rl = createInterface({ input: process.stdin, output, terminal: true });
	const shown = fallback && !secret ? ` [${fallback}]` : '';
	const answer = await new Promise<string>((resolve) => {
		rl.question(`${question}${shown}: `, resolve);
		muted = secret;
	});
	rl.close();
	if (secret) process.stdout.write('\n');
	return answer.trim() === '' ? fallback : answer;
}

export function realPorts(): RealPorts {
	let token = '';
	let accountId = '';
	const env = () => ({ ...process.env, WRANGLER_SEND_METRICS: 'false', ...(accountId ? { CLOUDFLARE_ACCOUNT_ID: accountId } : {}) });
	const git = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' });
	return {
		setToken: (t) => (token = t),
		setAccount: (a) => (accountId = a),
		async cloudflare(request) {
			const res = await fetch(`${API_BASE}${request.path}`, {
				method: request.method,
				headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
				body: request.body === undefined ? undefined : JSON.stringify(request.body),
				signal: AbortSignal.timeout(30_000)
			}).catch((e: unknown) => {
				throw new Error(`Cannot reach api.cloudflare.com (${networkMessage(e)}): check this machine's internet connection.`);
			});
			return { status: res.status, body: await res.json().catch(() => null) };
		},
		wrangler: (args, options = {}) => spawnCommand('npx', ['wrangler', ...args], options, env()),
		async cloudflared(args, options = {}) {
			try {
				return await spawnCommand('cloudflared', args, options, env());
			} catch (error) {
				if ((error as { code?: string }).code === 'ENOENT') return null;
				throw error;
			}
		},
		run: (program, args, options = {}) => spawnCommand(program, args, options, env()),
		async http(url, request = {}) {
			const res = await fetch(url, {
				method: request.method ?? 'GET',
				headers: request.headers,
				body: request.body,
				redirect: 'manual',
				signal: AbortSignal.timeout(request.timeoutMs ?? 15_000)
			}).catch((e: unknown) => {
				throw new Error(networkMessage(e));
			});
			const headers: Record<string, string> = {};
			res.headers.forEach((v, k) => (headers[k.toLowerCase()] = v));
			const body = (await res.text().catch(() => '')).slice(0, 8192);
			return { status: res.status, headers, body } satisfies HttpAnswer;
		},
		watchRelay(wsUrl, until, timeoutMs) {
			return new Promise((resolve) => {
				let last: { status: string; error?: string } | null = null;
				const socket = new WebSocket(wsUrl);
				const finish = () => {
					clearTimeout(timer);
					socket.close();
					resolve(last);
				};
				const timer = setTimeout(finish, timeoutMs);
				socket.on('message', (data, isBinary) => {
					if (isBinary) return;
					const frame = JSON.parse(data.toString()) as { t: string; state?: { status: string; error?: string }; snapshot?: { upstream?: { status: string; error?: string } } };
					const state = frame.t === 'upstream' ? frame.state : frame.t === 'hello' ? frame.snapshot?.upstream : undefined;
					if (state) {
						last = { status: state.status, ...(state.error ? { error: state.error } : {}) };
						if (until(last)) finish();
					}
				});
				socket.on('error', finish);
				socket.on('close', finish);
			});
		},
		sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
		async readFile(path) {
			return readFile(path, 'utf8').catch(() => null);
		},
		async writeFile(path, content, mode) {
			await mkdir(dirname(path), { recursive: true, mode: 0o700 });
			await writeFile(path, content, { mode });
			await chmod(path, mode);
		},
		relayAdmin: { createPairingCode, revokeDevice, showPairing: printPairing },
		system: {
			platform: process.platform,
			home: homedir(),
			isRoot: process.getuid?.() === 0,
			version: git.status === 0 ? git.stdout.trim() : 'unknown',
			now: () => Date.now()
		},
		log: (line) => console.log(line),
		ask: (question, fallback, options) => ask(question, fallback, options?.secret)
	};
}
