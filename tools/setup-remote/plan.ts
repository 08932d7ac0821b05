// The wizard's decisions, as a pure function: plan = f(observed state, answers, generated secrets). Each part finds
// what exists and plans only what is missing or wrong; `kept` says what was found in order. Values that earlier steps
// learn (a new tunnel's id, a new token's secret) appear as `${key}` references, filled in while the plan runs.
import { isServiceAuthFor, requests } from './cloudflare-api';
import { configPath, credentialsFile, credentialsPath, CONFIG_MARKER, ingressConfig, runCommand, servicePlan } from './cloudflared-files';
import { adminSecretPath, statePath } from './state-files';
import type { Action, Answers, Context, Generated, Observed, Step } from './types';

export interface Plan {
	steps: Step[];
	/** What exists and is right, one line each. */
	kept: string[];
	/** What the wizard will not change by itself, each with the exact fix; planning stops on any of these. */
	problems: string[];
	/** Values known before the first step runs. */
	context: Context;
}

export function comfyUrl(answers: Answers): string {
	return `https://${answers.hostname}`;
}

export function makePlan(observed: Observed, answers: Answers, generated: Generated): Plan {
	const plan: Plan = { steps: [], kept: [], problems: [], context: initialContext(observed, answers, generated) };
	planTunnel(plan, observed, answers);
	planDns(plan, observed, answers);
	planConfig(plan, observed, answers);
	planService(plan, observed, answers);
	const tokenRenewed = planAccess(plan, observed, answers);
	// Secrets before the deploy, so the relay's first version already has them (`wrangler secret put` makes the
	// Worker as a draft when it does not exist yet); a later deploy keeps them.
	planSecrets(plan, observed, tokenRenewed);
	planDeploy(plan, observed, answers);
	return plan;
}

function initialContext(observed: Observed, answers: Answers, generated: Generated): Context {
	const ctx: Context = { 'secret.adminSecret': observed.savedAdminSecret ?? generated.adminSecret };
	if (observed.tunnel) ctx['tunnel.id'] = observed.tunnel.id;
	else ctx['secret.tunnelSecret'] = generated.tunnelSecret;
	if (observed.serviceToken) ctx['token.id'] = observed.serviceToken.id;
	if (observed.policy) ctx['policy.id'] = observed.policy.id;
	const relayUrl = answers.relayUrl ?? observed.deployed?.relayUrl;
	if (relayUrl) ctx.relayUrl = relayUrl;
	return ctx;
}

function step(plan: Plan, id: string, title: string, ...actions: Action[]): void {
	plan.steps.push({ id, title, actions });
}

function planTunnel(plan: Plan, o: Observed, a: Answers): void {
	const creds = (tunnelId: string) => credentialsPath(o.home, tunnelId);
	if (!o.tunnel) {
		step(
			plan,
			'tunnel',
			`Create the tunnel "${a.tunnelName}" and its credentials file in ~/.cloudflared`,
			{ kind: 'api', request: requests.createTunnel(a.accountId, a.tunnelName, '${secret.tunnelSecret}'), capture: [{ key: 'tunnel.id', from: 'id' }] },
			{ kind: 'write-file', path: creds('${tunnel.id}'), content: credentialsFile(a.accountId, '${tunnel.id}', '${secret.tunnelSecret}'), mode: 0o600 }
		);
		return;
	}
	if (o.tunnel.remoteConfig) {
		plan.problems.push(
			`The tunnel "${o.tunnel.name}" is managed in the Cloudflare dashboard, so cloudflared ignores a local ingress file. Fix: run again with --tunnel-name comfy-pocket-local (a new, locally managed tunnel), or add the public hostname ${a.hostname} → http://127.0.0.1:${a.comfyPort} to that tunnel in Zero Trust → Networks → Tunnels.`
		);
		return;
	}
	plan.kept.push(`Tunnel "${o.tunnel.name}" (${o.tunnel.id}) exists.`);
	if (o.credentialsFile) {
		plan.kept.push(`Its credentials file ${creds(o.tunnel.id)} exists.`);
		return;
	}
	step(
		plan,
		'tunnel-credentials',
		`Recover the credentials file of tunnel "${o.tunnel.name}" (missing from ~/.cloudflared) from its tunnel token`,
		{ kind: 'api', request: requests.tunnelToken(a.accountId, o.tunnel.id), capture: [{ key: 'secret.tunnelSecret', from: '', transform: 'tunnel-token-secret' }] },
		{ kind: 'write-file', path: creds(o.tunnel.id), content: credentialsFile(a.accountId, o.tunnel.id, '${secret.tunnelSecret}'), mode: 0o600 }
	);
}

function planDns(plan: Plan, o: Observed, a: Answers): void {
	const target = o.tunnel ? `${o.tunnel.id}.cfargotunnel.com` : null;
	const records = o.dnsRecords.filter((r) => ['A', 'AAAA', 'CNAME'].includes(r.type));
	if (records.length === 0) {
		step(plan, 'dns', `Route ${a.hostname} to the tunnel (a proxied CNAME in zone ${o.zone.name})`, {
			kind: 'api',
			request: requests.createDns(o.zone.id, a.hostname, '${tunnel.id}')
		});
		return;
	}
	const [record] = records;
	if (records.length === 1 && record.type === 'CNAME' && record.content === target) {
		if (record.proxied) plan.kept.push(`DNS: ${a.hostname} → ${target} (proxied).`);
		else step(plan, 'dns', `Turn on Cloudflare's proxy for ${a.hostname} (the record is DNS-only, so the tunnel is unreachable)`, dnsUpdate(o, record.id));
		return;
	}
	const found = records.map((r) => `${r.type} ${r.content}`).join(', ');
	if (a.replaceDns && records.length === 1) {
		step(plan, 'dns', `Replace the DNS record ${a.hostname} (${found}) with a route to the tunnel (--replace-dns)`, dnsUpdate(o, record.id));
		return;
	}
	plan.problems.push(
		records.length === 1
			? `${a.hostname} already has a DNS record (${found}) that does not point to this tunnel. Fix: pick another --hostname, or run again with --replace-dns to point it at the tunnel.`
			: `${a.hostname} has several DNS records (${found}). Fix: delete them in the dashboard (DNS → Records) or pick another --hostname.`
	);
}

function dnsUpdate(o: Observed, recordId: string): Action {
	return { kind: 'api', request: requests.updateDns(o.zone.id, recordId, '${tunnel.id}') };
}

function planConfig(plan: Plan, o: Observed, a: Answers): void {
	const path = configPath(o.home, a.tunnelName);
	const tunnelId = o.tunnel?.id ?? '${tunnel.id}';
	const content = ingressConfig({ tunnelId, credentialsFile: credentialsPath(o.home, tunnelId), hostname: a.hostname, comfyPort: a.comfyPort });
	if (o.configFile === content) {
		plan.kept.push(`Ingress config ${path} sends ${a.hostname} to http://127.0.0.1:${a.comfyPort}.`);
		return;
	}
	if (o.configFile !== null && !o.configFile.startsWith(CONFIG_MARKER)) {
		plan.problems.push(`${path} exists and was not written by this wizard. Fix: move it away, or choose another --tunnel-name.`);
		return;
	}
	step(plan, 'ingress', `${o.configFile === null ? 'Write' : 'Update'} the cloudflared ingress config ${path} (${a.hostname} → http://127.0.0.1:${a.comfyPort}, everything else 404)`, {
		kind: 'write-file',
		path,
		content,
		mode: 0o644
	});
}

function planService(plan: Plan, o: Observed, a: Answers): void {
	const config = configPath(o.home, a.tunnelName);
	const connected = o.tunnel !== null && (o.tunnel.status === 'healthy' || o.tunnel.status === 'degraded');
	if (connected && o.configFile !== null && plan.steps.every((s) => s.id !== 'ingress')) {
		plan.kept.push(`The tunnel is connected (status ${o.tunnel?.status}).`);
		return;
	}
	if (connected) {
		step(plan, 'service', 'Restart cloudflared so it reads the new ingress config', {
			kind: 'manual',
			instructions: `Restart the running cloudflared (Linux service: \`sudo systemctl restart cloudflared\`; in a terminal: stop it and run \`${runCommand(config)}\`).`
		});
		return;
	}
	const service = servicePlan(o.platform, o.isRoot, config);
	if (a.service === 'skip' || service.kind === 'manual') {
		const instructions = a.service === 'skip' ? `Start the tunnel and keep it running: ${runCommand(config)}` : service.kind === 'manual' ? service.instructions : '';
		step(plan, 'service', 'Start the tunnel (by you)', { kind: 'manual', instructions });
		return;
	}
	step(plan, 'service', `Run the tunnel as a service: ${service.note}`, { kind: 'command', tool: service.tool, args: service.args, fix: service.fix });
}

/** Returns true when the service token gets a new client secret (so the relay must get it too). */
function planAccess(plan: Plan, o: Observed, a: Answers): boolean {
	const token = o.serviceToken;
	const expired = token?.expiresAt ? Date.parse(token.expiresAt) <= o.now : false;
	const relayHasToken = o.relaySecrets.includes('COMFY_ACCESS_CLIENT_ID') && o.relaySecrets.includes('COMFY_ACCESS_CLIENT_SECRET');
	const captureSecret = (idToo: boolean) => [
		...(idToo ? [{ key: 'token.id', from: 'id' }] : []),
		{ key: 'access.clientId', from: 'client_id' },
		{ key: 'secret.accessClientSecret', from: 'client_secret' }
	];
	let renewed = true;
	if (!token) {
		step(plan, 'service-token', `Create the Access service token "${a.accessName}" (the relay's key to ComfyUI)`, {
			kind: 'api',
			request: requests.createServiceToken(a.accountId, a.accessName),
			capture: captureSecret(true)
		});
	} else if (!relayHasToken) {
		step(
			plan,
			'service-token',
			`Give the service token "${token.name}" a new client secret (the relay does not have its secret; Cloudflare shows a secret only once)`,
			...(expired ? [{ kind: 'api' as const, request: requests.refreshServiceToken(a.accountId, token.id) }] : []),
			{ kind: 'api', request: requests.rotateServiceToken(a.accountId, token.id), capture: captureSecret(false) }
		);
	} else if (expired) {
		renewed = false;
		step(plan, 'service-token', `Extend the service token "${token.name}" (it has expired, so Access refuses the relay)`, {
			kind: 'api',
			request: requests.refreshServiceToken(a.accountId, token.id)
		});
	} else {
		renewed = false;
		plan.kept.push(`Access service token "${token.name}" exists and the relay has its id and secret.`);
	}

	const policy = o.policy;
	if (!policy) {
		step(plan, 'policy', `Create the Access policy "${a.accessName}" with the Service Auth action for that token`, {
			kind: 'api',
			request: requests.createPolicy(a.accountId, a.accessName, '${token.id}'),
			capture: [{ key: 'policy.id', from: 'id' }]
		});
	} else if (!token || !isServiceAuthFor(policy, token.id)) {
		const why = policy.decision === 'non_identity' ? 'it does not include the service token' : `its action is "${policy.decision}", not Service Auth: the relay would get a login page`;
		step(plan, 'policy', `Correct the Access policy "${policy.name}" (${why})`, {
			kind: 'api',
			request: requests.updatePolicy(a.accountId, policy.id, policy.name, '${token.id}')
		});
	} else plan.kept.push(`Access policy "${policy.name}" lets the service token in (Service Auth).`);

	const app = o.app;
	if (!app) {
		step(plan, 'access-app', `Create the Access application for ${a.hostname} with that policy`, {
			kind: 'api',
			request: requests.createApp(a.accountId, a.accessName, a.hostname, ['${policy.id}'])
		});
	} else if (!policy || !app.policies.some((p) => p.id === policy.id)) {
		const onlyAllow = app.policies.length > 0 && app.policies.every((p) => p.decision !== 'non_identity');
		const why = onlyAllow ? 'it has only Allow-type policies, which answer the relay with a login page' : 'the Service Auth policy is not attached';
		step(plan, 'access-app', `Attach the Service Auth policy to the Access application "${app.name}" (${why}); its other policies stay`, {
			kind: 'api',
			request: requests.updateApp(a.accountId, app.id, app.settings, [...app.policies.map((p) => p.id), '${policy.id}'])
		});
	} else plan.kept.push(`Access application "${app.name}" protects ${app.domain} with the Service Auth policy.`);
	return renewed;
}

function planDeploy(plan: Plan, o: Observed, a: Answers): void {
	const url = comfyUrl(a);
	const d = o.deployed;
	if (d && d.comfyUrl === url && d.version === o.version && o.relayAnswers) {
		plan.kept.push(`The relay at ${d.relayUrl} runs this version (${o.version}) against ${url}.`);
		return;
	}
	const why = !d ? 'first deploy' : d.comfyUrl !== url ? `ComfyUI address changes from ${d.comfyUrl}` : d.version !== o.version ? `code changed since ${d.version}` : 'the relay does not answer';
	const state = { relayUrl: '${relayUrl}', comfyUrl: url, version: o.version };
	// The address wrangler prints, unless the person named the relay's address (a custom domain).
	const capture = a.relayUrl ? undefined : [{ key: 'relayUrl', from: 'stdout:https://[A-Za-z0-9.-]+\\.workers\\.dev' }];
	step(
		plan,
		'deploy',
		`Build the app and deploy the relay with COMFY_URL=${url} (${why})`,
		{ kind: 'command', tool: 'npx', args: ['vite', 'build'], fix: 'Run `npm ci` (the build needs the project\'s dependencies), then run the wizard again.' },
		{
			kind: 'command',
			tool: 'wrangler',
			args: ['deploy', '--var', `COMFY_URL:${url}`],
			capture,
			fix: 'If wrangler asks for a workers.dev subdomain, register one (dashboard → Workers & Pages → your subdomain) or deploy to a custom domain and pass --relay-url; then run the wizard again.'
		},
		{ kind: 'write-file', path: statePath(o.home), content: `${JSON.stringify(state, null, 2)}\n`, mode: 0o600 }
	);
}

function planSecrets(plan: Plan, o: Observed, tokenRenewed: boolean): void {
	const put = (name: string, ref: string): Action => ({ kind: 'command', tool: 'wrangler', args: ['secret', 'put', name], stdin: ref });
	const actions: Action[] = [];
	const names: string[] = [];
	if (!o.relaySecrets.includes('ADMIN_SECRET') || o.savedAdminSecret === null) {
		// An ADMIN_SECRET this machine does not know is replaced: without it nobody here could pair a phone.
		names.push(o.relaySecrets.includes('ADMIN_SECRET') ? 'a new ADMIN_SECRET, since this machine does not have the current one' : 'ADMIN_SECRET');
		actions.push(put('ADMIN_SECRET', '${secret.adminSecret}'));
		if (o.savedAdminSecret === null) actions.push({ kind: 'write-file', path: adminSecretPath(o.home), content: '${secret.adminSecret}\n', mode: 0o600 });
	} else plan.kept.push('The relay has an ADMIN_SECRET, and this machine keeps it.');
	if (tokenRenewed) {
		names.push('COMFY_ACCESS_CLIENT_ID', 'COMFY_ACCESS_CLIENT_SECRET');
		actions.push(put('COMFY_ACCESS_CLIENT_ID', '${access.clientId}'), put('COMFY_ACCESS_CLIENT_SECRET', '${secret.accessClientSecret}'));
	}
	if (actions.length > 0) step(plan, 'secrets', `Set the relay's secrets (${names.join(', ')}) with wrangler secret put`, ...actions);
}
