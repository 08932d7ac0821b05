// The whole wizard over a fake world (fake-world.ts): a dry run changes nothing and prints every call with secrets
// masked; a real run builds everything and passes the end-to-end check; a second run changes nothing; and each
// failure case ends with its fix.
import { describe, expect, it } from 'vitest';
import { parseFlags } from '../../../tools/setup-remote/answers';
import type { Generated } from '../../../tools/setup-remote/types';
import { runWizard, type WizardEnv } from '../../../tools/setup-remote/wizard';
import { ACCOUNT, authenticationError, OTHER_ACCOUNT } from './cloudflare-fixtures';
import { FakeWorld } from './fake-world';

const GENERATED: Generated = { adminSecret: 'ADMIN-Secret-value-0123456789abcdefghijkl', tunnelSecret: 'VFVOTkVMLXNlY3JldC0wMTIzNDU2Nzg5YWJjZGVmZ2g=' };
const API_TOKEN = 'cf-api-token-0123456789abcdefghijklmnopq';
const BASE = ['--yes', '--hostname', 'comfy.example.com', '--account-id', ACCOUNT];

function env(): WizardEnv {
	return { interactive: false, apiToken: API_TOKEN, useToken: () => undefined, useAccount: () => undefined };
}

async function run(world: FakeWorld, ...extra: string[]): Promise<{ code: number; out: string }> {
	const before = world.log.length;
	const code = await runWizard(world.ports(), parseFlags([...BASE, ...extra]), env(), GENERATED);
	return { code, out: world.log.slice(before).join('\n') };
}

describe('setup-remote wizard', () => {
	it('--dry-run on a new account: lists every step and call, changes nothing, masks every secret', async () => {
		const world = new FakeWorld();
		const { code, out } = await run(world, '--dry-run');
		expect(code).toBe(0);
		expect(world.changes()).toEqual([]);
		for (const expected of [
			'Create the tunnel "comfy-pocket"',
			'Route comfy.example.com to the tunnel',
			'Write the cloudflared ingress config /home/alice/.cloudflared/comfy-pocket.yml',
			'RUN sudo cloudflared --config /home/alice/.cloudflared/comfy-pocket.yml service install',
			'Create the Access service token "Comfy Pocket relay"',
			'"decision":"non_identity"',
			'Create the Access application for comfy.example.com',
			'RUN npx wrangler deploy --var COMFY_URL:https://comfy.example.com',
			'RUN npx wrangler secret put ADMIN_SECRET',
			'RUN npx wrangler secret put COMFY_ACCESS_CLIENT_SECRET',
			'Dry run: nothing was changed.'
		])
			expect(out).toContain(expected);
		for (const secret of [GENERATED.adminSecret, GENERATED.tunnelSecret, API_TOKEN]) expect(out).not.toContain(secret);
		expect(out).toContain('ADMI…(41 chars)');
		expect(out).toContain('Using API token cf-a…(40 chars)');
	});

	it('a real run builds it all, checks the path end to end and shows the pairing link; a second run changes nothing', async () => {
		const world = new FakeWorld();
		const first = await run(world);
		expect(first.out).not.toContain('✗');
		expect(first.code).toBe(0);
		expect(world.tunnels).toHaveLength(1);
		expect(world.dns[0]).toMatchObject({ type: 'CNAME', content: `${world.tunnels[0].id}.cfargotunnel.com`, proxied: true });
		expect(world.apps[0].policies).toEqual([world.policies[0].id]);
		expect(world.secrets.get('COMFY_ACCESS_CLIENT_SECRET')).toBe(world.tokens[0].secret);
		expect(world.secrets.get('ADMIN_SECRET')).toBe(GENERATED.adminSecret);
		expect(world.files.get('/home/alice/.config/comfy-pocket/admin-secret')).toBe(`${GENERATED.adminSecret}\n`);
		expect(JSON.parse(world.files.get(`/home/alice/.cloudflared/${world.tunnels[0].id}.json`) ?? '')).toEqual({
			AccountTag: ACCOUNT,
			TunnelID: world.tunnels[0].id,
			TunnelSecret: GENERATED.tunnelSecret
		});
		expect(first.out).toContain('✓ The deployed relay reaches ComfyUI at https://comfy.example.com through Access: upstream live.');
		expect(world.paired).toEqual(['https://comfy-pocket.alice.workers.dev/pair#code=pair-code-1']);
		expect(world.calls).toContain('revoke dev1');
		for (const secret of [GENERATED.adminSecret, GENERATED.tunnelSecret, API_TOKEN, world.tokens[0].secret]) expect(first.out).not.toContain(secret);

		const changesBefore = world.changes().length;
		const second = await run(world);
		expect(second.code).toBe(0);
		expect(second.out).toContain('Everything is in place: no changes needed.');
		expect(world.changes().length).toBe(changesBefore);
		expect(world.paired).toHaveLength(2);
	});

	it('a second run repairs only what broke: a lost credentials file and an Access app switched to an Allow policy', async () => {
		const world = new FakeWorld();
		await run(world);
		const tunnelId = String(world.tunnels[0].id);
		world.files.delete(`/home/alice/.cloudflared/${tunnelId}.json`);
		world.policies.push({ id: 'allow-people', name: 'People', decision: 'allow', include: [{ everyone: {} }] });
		world.apps[0].policies = ['allow-people'];
		const before = world.changes().length;
		const { code, out } = await run(world, '--dry-run');
		expect(code).toBe(0);
		expect(out).toContain('Recover the credentials file of tunnel "comfy-pocket"');
		expect(out).toContain('it has only Allow-type policies, which answer the relay with a login page');
		expect(out).not.toContain('Create the tunnel');
		expect(out).not.toContain('wrangler deploy');
		expect(world.changes().length).toBe(before);
		const real = await run(world);
		expect(real.code).toBe(0);
		expect(world.apps[0].policies).toEqual(['allow-people', world.policies[0].id]);
		expect(world.files.get(`/home/alice/.cloudflared/${tunnelId}.json`)).toContain(GENERATED.tunnelSecret);
	});

	it('the relay refused by a login page (Allow instead of Service Auth) ends with that fix', async () => {
		const world = new FakeWorld();
		await run(world);
		// Someone edits the policy to Allow in the dashboard; the relay still has its token.
		world.policies[0].decision = 'allow';
		world.secrets.set('COMFY_ACCESS_CLIENT_ID', world.tokens[0].client_id);
		const verdict = await run(world, '--dry-run');
		expect(verdict.out).toContain('its action is "allow", not Service Auth: the relay would get a login page');
	});

	it('the end-to-end check catches a login page for the service token (an Allow policy) and says to use Service Auth', async () => {
		const world = new FakeWorld();
		await run(world);
		world.policies.push({ id: 'allow-people', name: 'People', decision: 'allow', include: [{ everyone: {} }] });
		world.apps[0].policies = ['allow-people'];
		world.ignoreAppUpdates = true;
		world.secrets.delete('COMFY_ACCESS_CLIENT_SECRET');
		const { code, out } = await run(world);
		expect(code).toBe(1);
		expect(out).toContain('✓ Cloudflare Access guards comfy.example.com');
		expect(out).toContain('✗ With the service token, Access still answers with its login page');
		expect(out).toContain('use a policy with the action Service Auth that includes the relay\'s service token');
	});

	it('a relay that refuses the temporary device (429) is reported with what to do, not a crash', async () => {
		const world = new FakeWorld();
		world.relayRateLimited = true;
		const { code, out } = await run(world);
		expect(code).toBe(1);
		expect(out).toContain('The relay did not let the wizard pair a temporary device (HTTP 429). Too many failed attempts');
	});

	it('a token without a needed permission names the permission to add', async () => {
		const world = new FakeWorld();
		world.override = { method: 'POST', prefix: `/accounts/${ACCOUNT}/access/apps`, status: 403, body: authenticationError };
		const { code, out } = await run(world);
		expect(code).toBe(1);
		expect(out).toContain('The API token may not POST /accounts/' + ACCOUNT + '/access/apps (10000: Authentication error)');
		expect(out).toContain('add the permission "Account › Access: Apps and Policies › Edit"');
	});

	it('a hostname outside every zone of the account, or in another account, says which', async () => {
		const world = new FakeWorld();
		let r = await run(world, '--hostname', 'comfy.elsewhere.org');
		expect(r.code).toBe(1);
		expect(r.out).toContain(`No zone of account ${ACCOUNT} holds comfy.elsewhere.org.`);
		world.zones.push({ name: 'elsewhere.org', account: OTHER_ACCOUNT });
		r = await run(world, '--hostname', 'comfy.elsewhere.org');
		expect(r.out).toContain(`Run again with --account-id ${OTHER_ACCOUNT}`);
	});

	it('wrangler logged in to another account: the relay would land elsewhere, so it stops', async () => {
		const world = new FakeWorld();
		world.wranglerAccounts = [{ id: OTHER_ACCOUNT, name: 'Work' }];
		const { code, out } = await run(world);
		expect(code).toBe(1);
		expect(out).toContain('npx wrangler logout && npx wrangler login');
		expect(world.changes()).toEqual([]);
	});

	it('ComfyUI not on the port, cloudflared missing, wrangler not logged in: each stops with its fix', async () => {
		const world = new FakeWorld();
		world.comfyRunning = false;
		let r = await run(world);
		expect(r.out).toContain('Start ComfyUI on that port (`python main.py --listen 127.0.0.1 --port 8188`)');
		world.comfyRunning = true;
		world.cloudflaredInstalled = false;
		r = await run(world);
		expect(r.out).toContain('cloudflared is not installed');
		expect(r.out).toContain('Fix: Install it: Debian/Ubuntu');
		world.loggedIn = false;
		r = await run(world);
		expect(r.code).toBe(1);
		expect(r.out).toContain('Run `npx wrangler login` in this folder');
		expect(world.changes()).toEqual([]);
	});

	it('with a person there, a missing wrangler login runs `wrangler login` and goes on', async () => {
		const world = new FakeWorld();
		world.loggedIn = false;
		const code = await runWizard(world.ports(), parseFlags(BASE.filter((f) => f !== '--yes')), { ...env(), interactive: true }, GENERATED);
		expect(world.calls).toContain('wrangler login');
		expect(code).toBe(0);
	});

	it('a tunnel that stays down fails the end-to-end check with the fix', async () => {
		const world = new FakeWorld();
		const { code, out } = await run(world, '--service', 'skip');
		expect(code).toBe(1);
		expect(out).toContain('YOU: Start the tunnel and keep it running: cloudflared tunnel --config /home/alice/.cloudflared/comfy-pocket.yml run');
		expect(out).toContain('The tunnel is down');
		// It waited about a minute for the tunnel to connect before saying so.
		expect(world.calls.filter((c) => c === 'sleep 5000')).toHaveLength(11);
		expect(world.paired).toEqual([]);
	});
});
