// `npm run setup-remote -- --dry-run --offline` as a real child process with every answer as a flag: it lists
// the steps, masks the secrets it made or was given, and leaves the home folder untouched.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const home = mkdtempSync(join(tmpdir(), 'setup-remote-home-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));

function cli(args: string[], env: Record<string, string> = {}) {
	return spawnSync(process.execPath, ['--import', 'tsx', 'tools/setup-remote/cli.ts', ...args], {
		encoding: 'utf8',
		env: { ...process.env, HOME: home, USERPROFILE: home, ...env },
		timeout: 60_000
	});
}

describe('setup-remote as a process', () => {
	it('--dry-run --offline prints the plan with masked secrets and changes nothing', () => {
		const adminSecret = 'given-admin-secret-abcdefghijklmnopqrstuvwxyz';
		const res = cli(
			['--dry-run', '--offline', '--yes', '--hostname', 'comfy.example.com', '--account-id', '699d98642c564d2e855e9661899b7252', '--comfy-port', '8190', '--tunnel-name', 'my-tunnel'],
			{ ADMIN_SECRET: adminSecret }
		);
		expect(res.stderr).toBe('');
		expect(res.status).toBe(0);
		const out = res.stdout;
		const steps = out.split('\n').filter((l) => /^\d+\. /.test(l));
		const expected = [
			'1. Create the tunnel "my-tunnel" and its credentials file',
			'2. Route comfy.example.com to the tunnel',
			'3. Write the cloudflared ingress config',
			'4. Run the tunnel as a service',
			'5. Create the Access service token "Comfy Pocket relay"',
			'6. Create the Access policy "Comfy Pocket relay" with the Service Auth action',
			'7. Create the Access application for comfy.example.com',
			"8. Set the relay's secrets (ADMIN_SECRET, COMFY_ACCESS_CLIENT_ID, COMFY_ACCESS_CLIENT_SECRET)",
			'9. Build the app and deploy the relay with COMFY_URL=https://comfy.example.com'
		];
		expect(steps).toHaveLength(expected.length);
		steps.forEach((line, i) => expect(line.startsWith(expected[i]), line).toBe(true));
		expect(out).toContain(`API POST https://api.cloudflare.com/client/v4/accounts/699d98642c564d2e855e9661899b7252/cfd_tunnel`);
		expect(out).toContain('    service: http://127.0.0.1:8190');
		expect(out).not.toContain(adminSecret);
		expect(out).toContain('give…(45 chars)');
		// The generated tunnel secret is shown masked only: no long base64 run survives in the output.
		expect(out).toMatch(/"tunnel_secret":"[A-Za-z0-9+/]{4}…\(44 chars\)"/);
		const withoutUrls = out.replace(/https:\/\/\S+/g, '');
		expect(withoutUrls.match(/[A-Za-z0-9+/_=-]{40,}/g) ?? []).toEqual([]);
		expect(readdirSync(home)).toEqual([]);
	});

	it('bad answers are refused with a clear message before anything else', () => {
		const res = cli(['--dry-run', '--offline', '--yes', '--hostname', 'https://comfy.example.com/', '--account-id', 'nope']);
		expect(res.status).toBe(2);
		expect(res.stdout).toContain('is not a hostname like comfy.example.com');
		expect(res.stdout).toContain('is not a Cloudflare account id');
		expect(cli(['--offline']).stdout).toContain('--offline only works with --dry-run');
		expect(cli(['--bogus']).stderr).toContain("Unknown option '--bogus'");
	});
});
