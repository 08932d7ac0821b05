// The wizard's decisions as a pure function of the observed state and the answers, and what it writes: the
// ingress config, the credentials file, the deploy's vars, and the API request bodies (against the shapes in
// Cloudflare's API reference, see cloudflare-fixtures.ts).
import { describe, expect, it } from 'vitest';
import { requests } from '../../../tools/setup-remote/cloudflare-api';
import { credentialsFile, ingressConfig, secretFromTunnelToken, servicePlan } from '../../../tools/setup-remote/cloudflared-files';
import { display, mask, resolve, scrub } from '../../../tools/setup-remote/context';
import { makePlan } from '../../../tools/setup-remote/plan';
import type { Answers, Generated, Observed } from '../../../tools/setup-remote/types';
import { ACCOUNT, tunnelToken, ZONE_ID } from './cloudflare-fixtures';

const answers: Answers = {
	hostname: 'comfy.example.com',
	comfyPort: 8188,
	accountId: ACCOUNT,
	tunnelName: 'comfy-pocket',
	accessName: 'Comfy Pocket relay',
	replaceDns: false,
	service: 'install',
	relayUrl: null
};
const generated: Generated = { adminSecret: 'A'.repeat(43), tunnelSecret: 'T'.repeat(44) };
const TUNNEL = 'c1744f8b-faa1-48a4-9e5c-02ac921467fa';
const HOME = '/home/alice';
const config = ingressConfig({ tunnelId: TUNNEL, credentialsFile: `${HOME}/.cloudflared/${TUNNEL}.json`, hostname: 'comfy.example.com', comfyPort: 8188 });

/** Everything in place, as a second run finds it. */
function complete(): Observed {
	return {
		platform: 'linux',
		home: HOME,
		isRoot: false,
		zone: { id: ZONE_ID, name: 'example.com' },
		tunnel: { id: TUNNEL, name: 'comfy-pocket', remoteConfig: false, status: 'healthy' },
		credentialsFile: true,
		configFile: config,
		dnsRecords: [{ id: 'r1', type: 'CNAME', name: 'comfy.example.com', content: `${TUNNEL}.cfargotunnel.com`, proxied: true }],
		serviceToken: { id: 'tok1', name: 'Comfy Pocket relay', clientId: 'cid.access', expiresAt: '2027-12-04T00:00:00Z' },
		policy: { id: 'pol1', name: 'Comfy Pocket relay', decision: 'non_identity', include: [{ service_token: { token_id: 'tok1' } }] },
		app: { id: 'app1', name: 'Comfy Pocket relay', domain: 'comfy.example.com', type: 'self_hosted', policies: [{ id: 'pol1', name: 'Comfy Pocket relay', decision: 'non_identity', include: [] }], settings: { name: 'Comfy Pocket relay', domain: 'comfy.example.com', type: 'self_hosted' } },
		relaySecrets: ['ADMIN_SECRET', 'COMFY_ACCESS_CLIENT_ID', 'COMFY_ACCESS_CLIENT_SECRET'],
		savedAdminSecret: 'saved-admin-secret-value-0123456789',
		deployed: { relayUrl: 'https://comfy-pocket.alice.workers.dev', comfyUrl: 'https://comfy.example.com', version: 'abc1234' },
		version: 'abc1234',
		now: Date.parse('2026-12-04T21:00:00Z'),
		relayAnswers: true
	};
}

const ids = (o: Observed, a: Answers = answers) => makePlan(o, a, generated).steps.map((s) => s.id);

describe('plan = f(observed, answers)', () => {
	it('everything in place: no step at all (idempotent), and each part reported as found', () => {
		const plan = makePlan(complete(), answers, generated);
		expect(plan.steps).toEqual([]);
		expect(plan.problems).toEqual([]);
		expect(plan.kept).toHaveLength(10);
	});

	it('a new account: every step, in order', () => {
		const fresh: Observed = { ...complete(), tunnel: null, credentialsFile: false, configFile: null, dnsRecords: [], serviceToken: null, policy: null, app: null, relaySecrets: [], savedAdminSecret: null, deployed: null, relayAnswers: false };
		expect(ids(fresh)).toEqual(['tunnel', 'dns', 'ingress', 'service', 'service-token', 'policy', 'access-app', 'secrets', 'deploy']);
	});

	it('DNS: a DNS-only record gets proxied; a foreign record stops the plan unless --replace-dns', () => {
		const o = complete();
		o.dnsRecords = [{ ...o.dnsRecords[0], proxied: false }];
		expect(ids(o)).toEqual(['dns']);
		o.dnsRecords = [{ id: 'r1', type: 'A', name: 'comfy.example.com', content: '203.0.113.7', proxied: true }];
		const stopped = makePlan(o, answers, generated);
		expect(stopped.problems[0]).toContain('already has a DNS record (A 203.0.113.7)');
		expect(stopped.problems[0]).toContain('--replace-dns');
		const replaced = makePlan(o, { ...answers, replaceDns: true }, generated);
		expect(replaced.steps[0].actions[0]).toMatchObject({ kind: 'api', request: { method: 'PATCH', path: `/zones/${ZONE_ID}/dns_records/r1` } });
	});

	it('a dashboard-managed tunnel of that name, or a config file not written by the wizard, stops the plan', () => {
		const o = complete();
		o.tunnel = { ...o.tunnel!, remoteConfig: true };
		expect(makePlan(o, answers, generated).problems[0]).toContain('managed in the Cloudflare dashboard');
		const p = complete();
		p.configFile = 'tunnel: mine\n';
		expect(makePlan(p, answers, generated).problems[0]).toContain('was not written by this wizard');
	});

	it('a missing credentials file is recovered from the tunnel token', () => {
		const o = complete();
		o.credentialsFile = false;
		const [s] = makePlan(o, answers, generated).steps;
		expect(s.id).toBe('tunnel-credentials');
		expect(s.actions[0]).toMatchObject({ kind: 'api', request: { method: 'GET', path: `/accounts/${ACCOUNT}/cfd_tunnel/${TUNNEL}/token` } });
		expect(secretFromTunnelToken(tunnelToken(TUNNEL, 'the-secret'))).toBe('the-secret');
		expect(secretFromTunnelToken('not base64 json')).toBeNull();
	});

	it('the service token: rotated when the relay lacks its secret or it expired, and the relay gets the new secret', () => {
		const o = complete();
		o.relaySecrets = ['ADMIN_SECRET'];
		expect(ids(o)).toEqual(['service-token', 'secrets']);
		const plan = makePlan(o, answers, generated);
		expect(plan.steps[0].actions[0]).toMatchObject({ request: { method: 'POST', path: `/accounts/${ACCOUNT}/access/service_tokens/tok1/rotate` } });
		expect(plan.steps[1].actions.map((a) => (a.kind === 'command' ? a.args.join(' ') : a.kind))).toEqual(['secret put COMFY_ACCESS_CLIENT_ID', 'secret put COMFY_ACCESS_CLIENT_SECRET']);
		const expired = complete();
		expired.serviceToken = { ...expired.serviceToken!, expiresAt: '2026-01-01T00:00:00Z' };
		const extend = makePlan(expired, answers, generated);
		expect(extend.steps.map((s) => s.id)).toEqual(['service-token']);
		expect(extend.steps[0].actions).toEqual([{ kind: 'api', request: expect.objectContaining({ method: 'POST', path: `/accounts/${ACCOUNT}/access/service_tokens/tok1/refresh` }) }]);
		expired.relaySecrets = ['ADMIN_SECRET'];
		const both = makePlan(expired, answers, generated).steps[0].actions;
		expect(both.map((a) => (a.kind === 'api' ? a.request.path.split('/').pop() : a.kind))).toEqual(['refresh', 'rotate']);
	});

	it('Access: an Allow policy becomes Service Auth; an app with only Allow policies gets ours attached, keeping its own', () => {
		const o = complete();
		o.policy = { ...o.policy!, decision: 'allow' };
		const [fix] = makePlan(o, answers, generated).steps;
		expect(fix.title).toContain('its action is "allow", not Service Auth');
		expect(fix.actions[0]).toMatchObject({ request: { method: 'PUT', body: { decision: 'non_identity', include: [{ service_token: { token_id: '${token.id}' } }] } } });
		const p = complete();
		// Someone's own app for the hostname: its settings (login methods, session length) go back unchanged.
		const settings = { name: 'My ComfyUI', domain: 'comfy.example.com', type: 'self_hosted', session_duration: '8h', allowed_idps: ['idp-1'] };
		p.app = { ...p.app!, name: 'My ComfyUI', settings, policies: [{ id: 'people', name: 'People', decision: 'allow', include: [] }] };
		const [attach] = makePlan(p, answers, generated).steps;
		expect(attach.title).toContain('only Allow-type policies');
		expect(attach.actions[0]).toMatchObject({ request: { method: 'PUT', path: `/accounts/${ACCOUNT}/access/apps/app1` } });
		expect(attach.actions[0].kind === 'api' && attach.actions[0].request.body).toEqual({ ...settings, policies: [{ id: 'people', precedence: 1 }, { id: '${policy.id}', precedence: 2 }] });
	});

	it('deploy: again when the code or the ComfyUI address changed or the relay does not answer; never just because', () => {
		for (const change of [{ version: 'def5678' }, { deployed: { ...complete().deployed!, comfyUrl: 'https://old.example.com' } }, { relayAnswers: false }]) {
			expect(ids({ ...complete(), ...change })).toEqual(['deploy']);
		}
	});

	it('ADMIN_SECRET: kept when this machine has it; set (and saved outside the repository) when not', () => {
		const o = complete();
		o.savedAdminSecret = null;
		const plan = makePlan(o, answers, generated);
		expect(plan.steps[0].actions).toEqual([
			{ kind: 'command', tool: 'wrangler', args: ['secret', 'put', 'ADMIN_SECRET'], stdin: '${secret.adminSecret}' },
			{ kind: 'write-file', path: `${HOME}/.config/comfy-pocket/admin-secret`, content: '${secret.adminSecret}\n', mode: 0o600 }
		]);
		expect(plan.context['secret.adminSecret']).toBe(generated.adminSecret);
	});

	it('a running tunnel whose ingress file changes is restarted by the person, not reinstalled', () => {
		const o = complete();
		o.configFile = config.replace('8188', '8189');
		expect(ids(o)).toEqual(['ingress', 'service']);
		expect(makePlan(o, answers, generated).steps[1].actions[0]).toMatchObject({ kind: 'manual' });
	});
});

describe('generated files and request bodies', () => {
	it('the ingress config sends only the hostname to ComfyUI on loopback, everything else 404', () => {
		expect(config).toBe(
			[
				'# Written by `npm run setup-remote` (Comfy Pocket).',
				'# Run it with: cloudflared tunnel --config <this file> run',
				`tunnel: ${TUNNEL}`,
				`credentials-file: /home/alice/.cloudflared/${TUNNEL}.json`,
				'ingress:',
				'  - hostname: comfy.example.com',
				'    service: http://127.0.0.1:8188',
				'  - service: http_status:404',
				''
			].join('\n')
		);
		// Planned before the id is known, it reads the same once the id is filled in (so a second run sees no change).
		const planned = ingressConfig({ tunnelId: '${tunnel.id}', credentialsFile: `${HOME}/.cloudflared/\${tunnel.id}.json`, hostname: 'comfy.example.com', comfyPort: 8188 });
		expect(resolve(planned, { 'tunnel.id': TUNNEL })).toBe(config);
		expect(ingressConfig({ tunnelId: TUNNEL, credentialsFile: 'C:\\Users\\a b\\x.json', hostname: 'comfy.example.com', comfyPort: 8188 })).toContain('credentials-file: "C:\\\\Users\\\\a b\\\\x.json"');
	});

	it('the credentials file has the fields `cloudflared tunnel create` writes', () => {
		expect(JSON.parse(credentialsFile(ACCOUNT, TUNNEL, 'c2VjcmV0'))).toEqual({ AccountTag: ACCOUNT, TunnelID: TUNNEL, TunnelSecret: 'c2VjcmV0' });
	});

	it('a relay address given with --relay-url is kept, not replaced by the workers.dev one wrangler prints', () => {
		const plan = makePlan({ ...complete(), deployed: null }, { ...answers, relayUrl: 'https://pocket.example.com' }, generated);
		expect(plan.context.relayUrl).toBe('https://pocket.example.com');
		const deploy = plan.steps.find((s) => s.id === 'deploy');
		expect(deploy?.actions[1]).toMatchObject({ kind: 'command', capture: undefined });
	});

	it('the deploy sets COMFY_URL as a var on the command line (wrangler.toml in the repository stays as it is)', () => {
		const deploy = makePlan({ ...complete(), deployed: null }, answers, generated).steps.find((s) => s.id === 'deploy');
		expect(deploy?.actions[1]).toMatchObject({ kind: 'command', tool: 'wrangler', args: ['deploy', '--var', 'COMFY_URL:https://comfy.example.com'] });
	});

	it('API bodies follow the reference: a local tunnel, a proxied CNAME, a Service Auth policy, a self-hosted app', () => {
		expect(requests.createTunnel(ACCOUNT, 'comfy-pocket', 'sec')).toEqual({
			method: 'POST',
			path: `/accounts/${ACCOUNT}/cfd_tunnel`,
			body: { name: 'comfy-pocket', config_src: 'local', tunnel_secret: 'sec' },
			permission: 'Account › Cloudflare Tunnel › Edit'
		});
		expect(requests.createDns(ZONE_ID, 'comfy.example.com', TUNNEL).body).toMatchObject({ type: 'CNAME', name: 'comfy.example.com', content: `${TUNNEL}.cfargotunnel.com`, proxied: true, ttl: 1 });
		expect(requests.createServiceToken(ACCOUNT, 'Comfy Pocket relay').body).toEqual({ name: 'Comfy Pocket relay', duration: '8760h' });
		expect(requests.createPolicy(ACCOUNT, 'n', 'tok1').body).toEqual({ name: 'n', decision: 'non_identity', include: [{ service_token: { token_id: 'tok1' } }], exclude: [], require: [] });
		expect(requests.createApp(ACCOUNT, 'n', 'comfy.example.com', ['pol1']).body).toEqual({
			name: 'n',
			domain: 'comfy.example.com',
			type: 'self_hosted',
			session_duration: '24h',
			app_launcher_visible: false,
			policies: [{ id: 'pol1', precedence: 1 }]
		});
		expect(requests.findZone('example.com', ACCOUNT).path).toBe(`/zones?name=example.com&account.id=${ACCOUNT}`);
	});

	it('cloudflared as a service: sudo on Linux, by hand on macOS and Windows', () => {
		expect(servicePlan('linux', false, '/h/.cloudflared/c.yml')).toMatchObject({ kind: 'command', tool: 'sudo', args: ['cloudflared', '--config', '/h/.cloudflared/c.yml', 'service', 'install'] });
		expect(servicePlan('linux', true, '/c.yml')).toMatchObject({ kind: 'command', tool: 'cloudflared' });
		expect(servicePlan('darwin', false, '/c.yml')).toMatchObject({ kind: 'manual' });
		expect(servicePlan('win32', false, '/c.yml')).toMatchObject({ kind: 'manual' });
	});

	it('secrets are masked wherever they are shown', () => {
		const ctx = { 'secret.a': 'x'.repeat(30), plain: 'visible' };
		expect(display('${secret.a} ${plain} ${later}', ctx)).toBe('xxxx…(30 chars) visible <later from an earlier step>');
		expect(mask('short')).toBe('••••');
		expect(scrub(`error near ${'x'.repeat(30)}!`, ctx)).toBe('error near xxxx…(30 chars)!');
		expect(() => resolve('${missing}', ctx)).toThrow('no value');
	});
});
