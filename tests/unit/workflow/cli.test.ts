import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runConvert } from '../../../tools/convert';
import { corpusDir, corpusPrompt } from './corpus';
import { modernDir } from './modern';

const workflowFile = path.join(corpusDir, 'workflows/lora__lora_multiple.workflow.json');
const promptFile = path.join(corpusDir, 'workflows/lora__lora_multiple.prompt.json');
const objectInfoFile = path.join(corpusDir, 'object_info.json');

async function run(...argv: string[]) {
	let out = '';
	let err = '';
	const code = await runConvert(argv, {
		out: (t) => (out += t),
		err: (t) => (err += t),
		readFile: async (f) => new Uint8Array(await readFile(f)),
		fetch
	});
	return { code, out, err };
}

let server: Server;
let serverUrl = '';
beforeAll(async () => {
	const info = await readFile(objectInfoFile);
	server = createServer((req, res) => {
		if (req.url === '/object_info') res.writeHead(200, { 'content-type': 'application/json' }).end(info);
		else res.writeHead(404).end();
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	serverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('npm run convert', () => {
	it('converts a UI workflow with --object-info and prints the prompt', async () => {
		const r = await run(workflowFile, '--object-info', objectInfoFile);
		expect(r.code).toBe(0);
		const printed = JSON.parse(r.out) as Record<string, { inputs: unknown }>;
		expect(printed['3'].inputs).toEqual(corpusPrompt('lora__lora_multiple')['3'].inputs);
	});

	it('converts with --server, fetching /object_info', async () => {
		const r = await run(workflowFile, '--server', `${serverUrl}/`);
		expect(r.code).toBe(0);
		expect(Object.keys(JSON.parse(r.out))).toContain('10');
	});

	it('prints an API prompt file without any object info', async () => {
		const r = await run(promptFile);
		expect(r.code).toBe(0);
		expect(JSON.parse(r.out)).toEqual(corpusPrompt('lora__lora_multiple'));
	});

	it('refuses a UI workflow without object info, saying what to pass', async () => {
		const r = await run(workflowFile);
		expect(r.code).toBe(1);
		expect(r.out).toBe('');
		expect(r.err).toContain('Pass --object-info FILE or --server URL');
	});

	it('prints nothing and exits 3 when a node changed since the save, unless --allow-schema-changes', async () => {
		const changed = path.join(modernDir, 'saves/ksampler-missing-value.workflow.json');
		const info = path.join(modernDir, 'object_info-0.33.0.json');
		const refused = await run(changed, '--object-info', info);
		expect(refused.code).toBe(3);
		expect(refused.out).toBe('');
		expect(refused.err).toContain('"Old sampler" (node 3: cfg) changed since the workflow was saved');
		const allowed = await run(changed, '--object-info', info, '--allow-schema-changes');
		expect(allowed.code).toBe(0);
		expect(JSON.parse(allowed.out)['3'].inputs).toMatchObject({ seed: 1, steps: 20, sampler_name: 'euler' });
	});

	it('says why a server cannot be used', async () => {
		const r = await run(workflowFile, '--server', `${serverUrl}/nothing-here`);
		expect(r.code).toBe(1);
		expect(r.err).toContain('answered 404');
	});

	it('exits 2 with the help on wrong usage, and 0 on --help', async () => {
		expect((await run()).code).toBe(2);
		expect((await run('a', 'b')).err).toContain('Only one FILE');
		expect((await run(workflowFile, '--object-info')).err).toContain('--object-info needs a value.');
		const help = await run('--help');
		expect(help.code).toBe(0);
		expect(help.out).toContain('--server URL');
	});

	it('runs as a script with a non-zero exit for a file that is not a workflow', async () => {
		const exec = promisify(execFile);
		const root = path.resolve(__dirname, '../../..');
		const failed = await exec('npx', ['tsx', 'tools/convert.ts', 'package.json'], { cwd: root }).catch((e: { code: number; stderr: string }) => e);
		expect('code' in failed && failed.code).toBe(1);
		expect('stderr' in failed && failed.stderr).toContain('is not a ComfyUI workflow');
	});
});
