// A fake of everything behind the wizard's ports: a Cloudflare account that answers the API with the documented
// shapes (cloudflare-fixtures.ts) and keeps what is created, wrangler, cloudflared, the home folder, and the path
// phone → relay → Access → tunnel → ComfyUI, which works only when the pieces really fit together (the token's
// secret on the relay, a Service Auth policy attached, the tunnel running). So a second run sees the first one's work.
import type { Ports } from '../../../tools/setup-remote/ports';
import type { ApiRequest } from '../../../tools/setup-remote/types';
import * as fx from './cloudflare-fixtures';

type Json = Record<string, unknown>;

export class FakeWorld {
	zones = [{ name: 'example.com', account: fx.ACCOUNT }];
	tunnels: Json[] = [];
	dns: Json[] = [];
	tokens: { id: string; name: string; client_id: string; secret: string; expires_at: string }[] = [];
	policies: Json[] = [];
	apps: (Json & { policies: string[] })[] = [];
	files = new Map<string, string>();
	secrets = new Map<string, string>();
	wranglerAccounts = [{ id: fx.ACCOUNT, name: 'Alice' }];
	loggedIn = true;
	cloudflaredInstalled = true;
	comfyRunning = true;
	tunnelRunning = false;
	deployedComfyUrl: string | null = null;
	/** Accepts changes to an Access app's policies but keeps the old ones (to reach the end-to-end check's verdict). */
	ignoreAppUpdates = false;
	/** The relay answers 429 to pairing (an address that failed too often). */
	relayRateLimited = false;
	/** Requests and commands, in order, for assertions. */
	calls: string[] = [];
	log: string[] = [];
	paired: string[] = [];
	/** Answers a given API call with this instead (method + path prefix). */
	override: { method: string; prefix: string; status: number; body: unknown } | null = null;
	private n = 0;

	private id(prefix: string): string {
		this.n += 1;
		return `${prefix}${String(this.n).padStart(4, '0')}-aaaa-4bbb-8ccc-${'d'.repeat(12)}`;
	}

	api(req: ApiRequest): { status: number; body: unknown } {
		this.calls.push(`${req.method} ${req.path}`);
		if (this.override && req.method === this.override.method && req.path.startsWith(this.override.prefix)) return { status: this.override.status, body: this.override.body };
		const [path, query = ''] = req.path.split('?');
		const params = new URLSearchParams(query);
		const body = (req.body ?? {}) as Json;
		const p = path.split('/').filter(Boolean);
		if (path === '/user/tokens/verify') return { status: 200, body: fx.verifyActive };
		if (path === '/zones') {
			const found = this.zones.filter((z) => z.name === params.get('name') && (!params.get('account.id') || z.account === params.get('account.id')));
			return { status: 200, body: fx.ok(found.map((z) => fx.zone(z.name, z.account))) };
		}
		if (p[0] === 'zones' && p[2] === 'dns_records') {
			if (req.method === 'GET') return { status: 200, body: fx.ok(this.dns.filter((r) => r.name === params.get('name'))) };
			if (req.method === 'POST') {
				if (this.dns.some((r) => r.name === body.name)) return { status: 400, body: fx.dnsRecordExists };
				const r = fx.dnsRecord(this.id('dns'), String(body.name), String(body.type), String(body.content), body.proxied === true);
				this.dns.push(r);
				return { status: 200, body: fx.ok(r) };
			}
			const r = this.dns.find((x) => x.id === p[3]);
			if (!r) return { status: 404, body: fx.noRoute };
			Object.assign(r, body);
			return { status: 200, body: fx.ok(r) };
		}
		if (p[0] !== 'accounts' || p[1] !== fx.ACCOUNT) return { status: 404, body: fx.noRoute };
		const rest = p.slice(2).join('/');
		if (rest === 'cfd_tunnel' && req.method === 'GET') {
			// A running cloudflared makes the tunnel "healthy" (Tunnel API status values).
			const found = this.tunnels.filter((t) => t.name === params.get('name')).map(({ secret: _, ...t }) => ({ ...t, status: this.tunnelRunning ? 'healthy' : 'inactive' }));
			return { status: 200, body: fx.ok(found) };
		}
		if (rest === 'cfd_tunnel' && req.method === 'POST') {
			const t = { ...fx.tunnel(this.id('tun'), String(body.name), { remote: body.config_src === 'cloudflare' }), secret: body.tunnel_secret };
			this.tunnels.push(t);
			return { status: 200, body: fx.ok(t) };
		}
		if (p[2] === 'cfd_tunnel' && p[4] === 'token') {
			const t = this.tunnels.find((x) => x.id === p[3]);
			return t ? { status: 200, body: fx.ok(fx.tunnelToken(String(t.id), String(t.secret))) } : { status: 404, body: fx.noRoute };
		}
		if (rest === 'access/service_tokens' && req.method === 'GET') return { status: 200, body: fx.ok(this.tokens.map((t) => fx.serviceTokenListed(t.id, t.name, t.client_id, t.expires_at))) };
		if (rest === 'access/service_tokens' && req.method === 'POST') {
			const t = { id: this.id('tok'), name: String(body.name), client_id: `${this.id('cid')}.access`, secret: `s3cr3t-${this.id('sec')}`, expires_at: '2027-12-04T20:00:00Z' };
			this.tokens.push(t);
			return { status: 201, body: fx.ok(fx.serviceTokenCreated(t.id, t.name, t.client_id, t.secret)) };
		}
		if (p[2] === 'access' && p[3] === 'service_tokens' && p[5] === 'rotate') {
			const t = this.tokens.find((x) => x.id === p[4]);
			if (!t) return { status: 404, body: fx.noRoute };
			t.secret = `s3cr3t-${this.id('rot')}`;
			return { status: 200, body: fx.ok(fx.serviceTokenCreated(t.id, t.name, t.client_id, t.secret)) };
		}
		if (rest === 'access/policies' && req.method === 'GET') return { status: 200, body: fx.ok(this.policies) };
		if (rest === 'access/policies' && req.method === 'POST') {
			const pol = fx.policy(this.id('pol'), String(body.name), String(body.decision), body.include as unknown[]);
			this.policies.push(pol);
			return { status: 201, body: fx.ok(pol) };
		}
		if (p[2] === 'access' && p[3] === 'policies' && req.method === 'PUT') {
			const pol = this.policies.find((x) => x.id === p[4]);
			if (!pol) return { status: 404, body: fx.noRoute };
			Object.assign(pol, { decision: body.decision, include: body.include });
			return { status: 200, body: fx.ok(pol) };
		}
		if (rest === 'access/apps' && req.method === 'GET') return { status: 200, body: fx.ok(this.apps.map(({ policies: _, ...a }) => a)) };
		if (rest === 'access/apps' && req.method === 'POST') {
			if (this.apps.some((x) => x.domain === body.domain)) return { status: 409, body: fx.accessConflict };
			const a = { ...fx.app(this.id('app'), String(body.name), String(body.domain)), policies: (body.policies as { id: string }[]).map((x) => x.id) };
			this.apps.push(a);
			return { status: 201, body: fx.ok(a) };
		}
		if (p[2] === 'access' && p[3] === 'apps' && p[5] === 'policies') {
			const a = this.apps.find((x) => x.id === p[4]);
			return { status: 200, body: fx.ok(this.policies.filter((pol) => a?.policies.includes(String(pol.id)))) };
		}
		if (p[2] === 'access' && p[3] === 'apps' && req.method === 'PUT') {
			const a = this.apps.find((x) => x.id === p[4]);
			if (!a) return { status: 404, body: fx.noRoute };
			if (!this.ignoreAppUpdates) a.policies = (body.policies as { id: string }[]).map((x) => x.id);
			return { status: 200, body: fx.ok(a) };
		}
		return { status: 404, body: fx.noRoute };
	}

	/** What Access does with a request for the hostname carrying these headers. */
	access(hostname: string, headers: Record<string, string>): { status: number; headers: Record<string, string>; body: string } {
		const login = { status: 302, headers: { location: 'https://alice.cloudflareaccess.com/cdn-cgi/access/login/' + hostname }, body: '' };
		const record = this.dns.find((r) => r.name === hostname);
		const t = this.tunnels.find((x) => record && record.content === `${x.id}.cfargotunnel.com`);
		if (!t) throw new Error('ENOTFOUND');
		const a = this.apps.find((x) => x.domain === hostname);
		if (a) {
			// No credentials: the login page. Wrong ones: 403. Right ones without a Service Auth policy that names the
			// token (an Allow policy, say): still the login page, the mistake the wizard must catch.
			if (!headers['CF-Access-Client-Id']) return login;
			const token = this.tokens.find((x) => x.client_id === headers['CF-Access-Client-Id'] && x.secret === headers['CF-Access-Client-Secret']);
			if (!token) return { status: 403, headers: {}, body: 'Forbidden' };
			const serviceAuth = this.policies.some((pol) => a.policies.includes(String(pol.id)) && pol.decision === 'non_identity' && JSON.stringify(pol.include).includes(token.id));
			if (!serviceAuth) return login;
		}
		if (!this.tunnelRunning) return { status: 530, headers: { 'content-type': 'text/html' }, body: 'error code: 1033' };
		if (!this.comfyRunning) return { status: 502, headers: { 'content-type': 'text/html' }, body: 'Bad gateway' };
		return { status: 200, headers: { 'content-type': 'application/json' }, body: '{"system":{"os":"posix"},"devices":[]}' };
	}

	ports(home = '/home/alice'): Ports {
		const relay = 'https://comfy-pocket.alice.workers.dev';
		const cmd = (line: string, stdout = '', code = 0) => {
			this.calls.push(line);
			return { code, stdout, stderr: code === 0 ? '' : 'failed' };
		};
		return {
			cloudflare: async (req) => this.api(req),
			wrangler: async (args, options) => {
				const line = `wrangler ${args.join(' ')}`;
				if (args[0] === 'whoami') {
					// As wrangler 4.86 prints it (`whoami --json`): `{"loggedIn":false}` and exit 1 when not logged in.
					if (!this.loggedIn) return cmd(line, '{"loggedIn":false}', 1);
					return cmd(line, JSON.stringify({ loggedIn: true, authType: 'OAuth Token', email: 'alice@example.com', accounts: this.wranglerAccounts }));
				}
				if (args[0] === 'login') {
					this.loggedIn = true;
					return cmd(line);
				}
				if (args[0] === 'secret' && args[1] === 'list') return this.deployedComfyUrl ? cmd(line, JSON.stringify([...this.secrets.keys()].map((name) => ({ name, type: 'secret_text' })))) : cmd(line, '', 1);
				if (args[0] === 'secret' && args[1] === 'put') {
					this.secrets.set(args[2], options?.stdin ?? '');
					return cmd(line);
				}
				if (args[0] === 'deploy') {
					this.deployedComfyUrl = args[args.indexOf('--var') + 1].slice('COMFY_URL:'.length);
					return cmd(line, `Uploaded comfy-pocket\nDeployed comfy-pocket triggers\n  ${relay}\nCurrent Version ID: 1\n`);
				}
				return cmd(line, '', 1);
			},
			cloudflared: async (args) => {
				if (!this.cloudflaredInstalled) return null;
				if (args.includes('service')) this.tunnelRunning = true;
				return cmd(`cloudflared ${args.join(' ')}`, 'cloudflared version 2026.11.0 (built 2026-11-20)\n');
			},
			run: async (program, args) => {
				if (program === 'sudo' && args.includes('service')) this.tunnelRunning = true;
				return cmd(`${program} ${args.join(' ')}`);
			},
			http: async (url, request = {}) => {
				const u = new URL(url);
				if (u.hostname === '127.0.0.1') {
					if (!this.comfyRunning) throw new Error('ECONNREFUSED');
					return { status: 200, headers: { 'content-type': 'application/json' }, body: '{"system":{"os":"posix"}}' };
				}
				if (url.startsWith(relay)) {
					if (!this.deployedComfyUrl) return { status: 404, headers: {}, body: '' };
					if (u.pathname === '/relay/info') return { status: 401, headers: {}, body: '' };
					if (u.pathname === '/relay/pair' && this.relayRateLimited) return { status: 429, headers: {}, body: '' };
					if (u.pathname === '/relay/pair') return { status: 200, headers: {}, body: JSON.stringify({ deviceId: 'dev1', token: 'device-token' }) };
					if (u.pathname === '/relay/ticket') return { status: 200, headers: {}, body: JSON.stringify({ ticket: 't1', expiresAt: 0 }) };
				}
				const answer = this.access(u.hostname, request.headers ?? {});
				return answer;
			},
			watchRelay: async () => {
				const host = (this.deployedComfyUrl ?? '').replace('https://', '');
				const headers = { 'CF-Access-Client-Id': this.secrets.get('COMFY_ACCESS_CLIENT_ID') ?? '', 'CF-Access-Client-Secret': this.secrets.get('COMFY_ACCESS_CLIENT_SECRET') ?? '' };
				const answer = this.access(host, headers);
				if (answer.status === 200) return { status: 'live' };
				if (answer.status === 302) return { status: 'unauthorized', error: 'Cloudflare Access redirected the relay to a login page: the Access policy must use the Service Auth action' };
				if (answer.status === 403 || answer.status === 401) return { status: 'unauthorized', error: 'refused' };
				return { status: 'backoff', error: 'ComfyUI did not answer the relay' };
			},
			sleep: async (ms) => void this.calls.push(`sleep ${ms}`),
			readFile: async (path) => this.files.get(path) ?? null,
			writeFile: async (path, content) => {
				this.calls.push(`write ${path}`);
				this.files.set(path, content);
			},
			relayAdmin: {
				createPairingCode: async (_relay, secret) => {
					if (secret !== this.secrets.get('ADMIN_SECRET')) throw new Error('The relay refused the admin secret');
					return { code: 'pair-code-1', expiresAt: Date.now() + 600_000 };
				},
				revokeDevice: async (_relay, _secret, id) => this.calls.push(`revoke ${id}`),
				showPairing: async (link) => void this.paired.push(link)
			},
			system: { platform: 'linux', home, isRoot: false, version: 'abc1234', now: () => Date.parse('2026-12-04T21:00:00Z') },
			log: (line) => void this.log.push(line),
			ask: async (_q, fallback) => fallback
		};
	}

	/** Mutating calls only (what a dry run must never make). */
	changes(): string[] {
		return this.calls.filter((c) => /^(POST|PUT|PATCH|DELETE) |^write |^wrangler (secret put|deploy|login)|service install|^npx /.test(c) && !c.endsWith('/tokens/verify'));
	}
}
