// Reading what exists, through the ports and without changing anything: the checks that come first (wrangler,
// cloudflared, ComfyUI, the API token, the account and the zone) and then the state the plan is made from.
import { callApi, CloudflareError, requests } from './cloudflare-api';
import { configPath, credentialsPath, installHint } from './cloudflared-files';
import { explainAccount, explainApiError, explainMissingZone, judgeLocalComfy, type Verdict } from './diagnose';
import type { Ports } from './ports';
import { adminSecretPath, parseDeployState, statePath } from './state-files';
import type { AccessApp, AccessPolicy, Account, Answers, DnsRecord, Observed, ServiceToken, Tunnel } from './types';

/** A check that failed; the wizard prints it and stops. */
export class CheckFailed extends Error {
	constructor(readonly verdict: Verdict) {
		super(verdict.message);
	}
}

export function fail(verdict: Verdict): never {
	throw new CheckFailed(verdict);
}

/** Runs an API call and turns its failure into a CheckFailed with the fix. */
export async function api<T>(ports: Ports, request: Parameters<typeof callApi>[1]): Promise<T> {
	try {
		return await callApi<T>(ports, request);
	} catch (error) {
		if (error instanceof CloudflareError) fail(explainApiError(error));
		throw error;
	}
}

/** wrangler's accounts, or why there are none: `null` when it is not logged in, else what went wrong. */
export async function wranglerAccounts(ports: Ports): Promise<Account[] | null | string> {
	const res = await ports.wrangler(['whoami', '--json']);
	try {
		const who = JSON.parse(res.stdout) as { loggedIn?: boolean; accounts?: Account[] };
		if (who.loggedIn === false) return null;
		if (res.code === 0 && who.loggedIn) return (who.accounts ?? []).map((a) => ({ id: a.id, name: a.name }));
	} catch {
		// not JSON: wrangler failed before it could answer
	}
	return (res.stderr || res.stdout).trim().split('\n').slice(-3).join(' ') || `exit ${res.code}`;
}

/** wrangler logged in (else `wrangler login` when someone is there to log in). */
export async function checkWrangler(ports: Ports, canLogIn: boolean): Promise<Account[]> {
	ports.log('• Checking that wrangler is logged in to Cloudflare (npx wrangler whoami)…');
	let accounts = await wranglerAccounts(ports);
	if (accounts === null && canLogIn) {
		ports.log('  Not logged in: running `npx wrangler login` (a browser window opens).');
		await ports.wrangler(['login'], { interactive: true });
		accounts = await wranglerAccounts(ports);
	}
	if (typeof accounts === 'string') fail({ ok: false, message: `\`npx wrangler whoami\` failed: ${accounts}`, fix: 'Check this machine reaches Cloudflare, and that `npm ci` was run in this folder; then run the wizard again.' });
	if (accounts === null) fail({ ok: false, message: 'wrangler is not logged in to Cloudflare.', fix: 'Run `npx wrangler login` in this folder, then run the wizard again.' });
	ports.log(`  Logged in; accounts: ${accounts.map((a) => `${a.name} (${a.id})`).join(', ') || 'none'}.`);
	return accounts;
}

export async function checkCloudflared(ports: Ports): Promise<Verdict> {
	ports.log('• Checking that cloudflared is installed (cloudflared --version)…');
	const res = await ports.cloudflared(['--version']);
	if (res && res.code === 0) return { ok: true, message: `  ${res.stdout.trim().split('\n')[0]}` };
	return { ok: false, message: 'cloudflared is not installed (or not on PATH).', fix: `Install it: ${installHint(ports.system.platform)}; then run the wizard again.` };
}

export async function checkLocalComfy(ports: Ports, port: number): Promise<Verdict> {
	ports.log(`• Checking that ComfyUI answers on this machine (http://127.0.0.1:${port}/api/system_stats)…`);
	const answer = await ports.http(`http://127.0.0.1:${port}/api/system_stats`, { timeoutMs: 3000 }).catch((e: unknown) => (e instanceof Error ? e : new Error(String(e))));
	return judgeLocalComfy(answer, port);
}

export async function checkToken(ports: Ports, accountId: string): Promise<void> {
	ports.log('• Checking the API token (GET /user/tokens/verify)…');
	let status: string;
	try {
		status = (await callApi<{ status: string }>(ports, requests.verifyUserToken())).status;
	} catch (error) {
		// An account-owned token answers on the account's verify route instead.
		if (!(error instanceof CloudflareError)) throw error;
		status = (await api<{ status: string }>(ports, requests.verifyAccountToken(accountId))).status;
	}
	if (status !== 'active') fail({ ok: false, message: `The API token is ${status}.`, fix: 'Create a new token (see the permissions above) and run again.' });
}

export function checkAccount(accountId: string, accounts: Account[]): void {
	const verdict = explainAccount(accountId, accounts);
	if (!verdict.ok) fail(verdict);
}

/** The zone that holds the hostname: the longest suffix of it that is a zone of the account. */
export async function findZone(ports: Ports, hostname: string, accountId: string): Promise<{ id: string; name: string }> {
	ports.log(`• Finding the zone of ${hostname} in account ${accountId}…`);
	const labels = hostname.split('.');
	const candidates = labels.slice(0, -1).map((_, i) => labels.slice(i).join('.')).filter((n) => n.includes('.'));
	for (const name of candidates) {
		const zones = await api<{ id: string; name: string; account?: { id: string } }[]>(ports, requests.findZone(name, accountId));
		if (zones.length > 0) return { id: zones[0].id, name: zones[0].name };
	}
	for (const name of candidates) {
		const zones = await api<{ id: string; name: string; account?: { id: string } }[]>(ports, requests.findZone(name));
		if (zones.length > 0) fail(explainMissingZone(hostname, accountId, zones[0].account?.id ?? 'another account'));
	}
	fail(explainMissingZone(hostname, accountId, null));
}

interface RawTunnel {
	id: string;
	name: string;
	remote_config?: boolean;
	status?: string;
	deleted_at?: string | null;
}

interface RawPolicy {
	id: string;
	name: string;
	decision: string;
	include?: AccessPolicy['include'];
}

function policyOf(p: RawPolicy): AccessPolicy {
	return { id: p.id, name: p.name, decision: p.decision, include: p.include ?? [] };
}

/** Everything the plan needs, read through the ports. */
export async function observe(ports: Ports, answers: Answers, zone: { id: string; name: string }): Promise<Observed> {
	const { home, platform, isRoot, version } = ports.system;
	const a = answers.accountId;
	ports.log('• Looking at what already exists (tunnel, DNS, Access, relay)…');
	const tunnels = await api<RawTunnel[]>(ports, requests.listTunnels(a, answers.tunnelName));
	const raw = tunnels.find((t) => t.name === answers.tunnelName && !t.deleted_at);
	const tunnel: Tunnel | null = raw ? { id: raw.id, name: raw.name, remoteConfig: raw.remote_config === true, status: raw.status ?? 'inactive' } : null;
	const dns = await api<DnsRecord[]>(ports, requests.listDns(zone.id, answers.hostname));
	const tokens = await api<{ id: string; name: string; client_id: string; expires_at?: string }[]>(ports, requests.listServiceTokens(a));
	const token = tokens.find((t) => t.name === answers.accessName);
	const serviceToken: ServiceToken | null = token ? { id: token.id, name: token.name, clientId: token.client_id, expiresAt: token.expires_at ?? null } : null;
	const policies = await api<RawPolicy[]>(ports, requests.listPolicies(a));
	const policy = policies.find((p) => p.name === answers.accessName);
	const apps = await api<({ id: string; name: string; domain?: string; type: string } & Record<string, unknown>)[]>(ports, requests.listApps(a));
	const rawApp = apps.find((x) => (x.domain ?? '').toLowerCase().replace(/\/+$/, '') === answers.hostname.toLowerCase());
	let app: AccessApp | null = null;
	if (rawApp) {
		const attached = await api<RawPolicy[]>(ports, requests.appPolicies(a, rawApp.id));
		const { id: _id, uid: _uid, aud: _aud, created_at: _c, updated_at: _u, policies: _p, ...settings } = rawApp;
		app = { id: rawApp.id, name: rawApp.name, domain: rawApp.domain ?? answers.hostname, type: rawApp.type, policies: attached.map(policyOf), settings };
	}
	const deployed = parseDeployState(await ports.readFile(statePath(home)));
	let relayAnswers = false;
	if (deployed) {
		const info = await ports.http(`${deployed.relayUrl}/relay/info`, { timeoutMs: 5000 }).catch(() => null);
		relayAnswers = info?.status === 401;
	}
	return {
		platform,
		home,
		isRoot,
		zone,
		tunnel,
		credentialsFile: tunnel !== null && (await ports.readFile(credentialsPath(home, tunnel.id))) !== null,
		configFile: await ports.readFile(configPath(home, answers.tunnelName)),
		dnsRecords: dns.map((r) => ({ id: r.id, type: r.type, name: r.name, content: r.content, proxied: r.proxied === true })),
		serviceToken,
		policy: policy ? policyOf(policy) : null,
		app,
		relaySecrets: await relaySecretNames(ports),
		savedAdminSecret: (await ports.readFile(adminSecretPath(home)))?.trim() || null,
		deployed,
		version,
		now: ports.system.now(),
		relayAnswers
	};
}

/** `wrangler secret list` fails when the Worker was never deployed: then it has no secrets. */
async function relaySecretNames(ports: Ports): Promise<string[]> {
	const res = await ports.wrangler(['secret', 'list', '--format', 'json']);
	if (res.code !== 0) return [];
	try {
		return (JSON.parse(res.stdout) as { name: string }[]).map((s) => s.name);
	} catch {
		return [];
	}
}
