// The command line that Playwright's webServer and `npm run demo` start: it serves, honours its flags, refuses bad
// ones with a message, and stops on SIGTERM.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';

const CLI = new URL('../../../tools/comfy-emulator/cli.ts', import.meta.url).pathname;
const TSX = new URL('../../../node_modules/.bin/tsx', import.meta.url).pathname;

function start(args: string[]): { child: ChildProcess; output: () => string; url: Promise<string> } {
	const child = spawn(TSX, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
	let output = '';
	const url = new Promise<string>((resolve, reject) => {
		child.stdout!.on('data', (chunk) => {
			output += String(chunk);
			const m = /listening on (http:\/\/\S+)/.exec(output);
			if (m) resolve(m[1]);
		});
		child.stderr!.on('data', (chunk) => (output += String(chunk)));
		child.on('exit', () => reject(new Error(`exited: ${output}`)));
	});
	return { child, output: () => output, url };
}

describe('emulator CLI', () => {
	it('serves with CORS for the given origin and stops on SIGTERM', async () => {
		const { child, url } = start(['--port', '0', '--cors', 'http://127.0.0.1:8790', '--step-ms', '5']);
		try {
			const base = await url;
			const res = await fetch(`${base}/api/system_stats`, { headers: { Origin: 'http://127.0.0.1:8790' } });
			expect(res.status).toBe(200);
			expect(res.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:8790');
		} finally {
			const exited = once(child, 'exit');
			child.kill('SIGTERM');
			expect((await exited)[0]).toBe(0);
		}
	});

	it('refuses a bad number with a message and exit code 2', async () => {
		const { child, output, url } = start(['--port', '0', '--step-ms', 'fast']);
		url.catch(() => undefined);
		const [code] = await once(child, 'exit');
		expect(code).toBe(2);
		expect(output()).toContain('--step-ms must be a non-negative number, got "fast"');
	});
});
