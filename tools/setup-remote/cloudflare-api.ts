// The Cloudflare API calls the wizard makes, as plain request values (so --dry-run can print them and tests can
// compare them), and the reading of Cloudflare's answer envelope. Paths and bodies follow the API reference on
// developers.cloudflare.com/api (checked against the documentation only, never against the live API):
//  - Tunnel: resources/zero_trust/subresources/tunnels/subresources/cloudflared (list, create, get, token)
//  - DNS records: resources/dns/subresources/records (list, create, edit)
//  - Zones: resources/zones (list with name / account.id filters)
//  - Access: resources/zero_trust/subresources/access (applications, applications/policies, policies, service_tokens)
//  - Token verify: resources/user/subresources/tokens/methods/verify and accounts/subresources/tokens/methods/verify
import type { Ports } from './ports';
import type { AccessPolicy, ApiRequest } from './types';

export const API_BASE = 'https://api.cloudflare.com/client/v4';

/** The documented envelope: `{success, errors: [{code, message}], messages, result}`. */
export interface Envelope<T = unknown> {
	success: boolean;
	errors: { code: number; message: string }[];
	messages?: unknown[];
	result: T;
}

export class CloudflareError extends Error {
	constructor(
		readonly request: ApiRequest,
		readonly status: number,
		readonly errors: { code: number; message: string }[]
	) {
		super(`${request.method} ${request.path} failed (HTTP ${status}): ${errors.map((e) => `${e.code} ${e.message}`).join('; ') || 'no error detail'}`);
	}

	has(code: number): boolean {
		return this.errors.some((e) => e.code === code);
	}
}

/** Reads an answer: the result when `success`, else a CloudflareError carrying the documented error codes. */
export function readEnvelope<T>(request: ApiRequest, status: number, body: unknown): T {
	const env = body as Partial<Envelope<T>> | null;
	if (env && typeof env === 'object' && env.success === true) return env.result as T;
	const errors = Array.isArray(env?.errors) ? env.errors.filter((e) => e && typeof e.code === 'number') : [];
	throw new CloudflareError(request, status, errors);
}

const TUNNEL = 'Account › Cloudflare Tunnel › Edit';
const DNS = 'Zone › DNS › Edit';
const ZONE = 'Zone › Zone › Read';
const ACCESS_APPS = 'Account › Access: Apps and Policies › Edit';
const ACCESS_TOKENS = 'Account › Access: Service Tokens › Edit';

/** Every permission the wizard's token needs, in the words of the dashboard's token builder. */
export const REQUIRED_PERMISSIONS = [TUNNEL, ACCESS_APPS, ACCESS_TOKENS, DNS, ZONE];

const q = encodeURIComponent;

export const requests = {
	verifyUserToken: (): ApiRequest => ({ method: 'GET', path: '/user/tokens/verify', permission: 'an active API token' }),
	verifyAccountToken: (account: string): ApiRequest => ({ method: 'GET', path: `/accounts/${account}/tokens/verify`, permission: 'an active API token' }),

	findZone: (name: string, account?: string): ApiRequest => ({
		method: 'GET',
		path: `/zones?name=${q(name)}${account ? `&account.id=${q(account)}` : ''}`,
		permission: ZONE
	}),

	listTunnels: (account: string, name: string): ApiRequest => ({
		method: 'GET',
		path: `/accounts/${account}/cfd_tunnel?name=${q(name)}&is_deleted=false`,
		permission: TUNNEL
	}),
	/** A locally managed tunnel (config_src "local"): its ingress comes from the config file the wizard writes. */
	createTunnel: (account: string, name: string, secretRef: string): ApiRequest => ({
		method: 'POST',
		path: `/accounts/${account}/cfd_tunnel`,
		body: { name, config_src: 'local', tunnel_secret: secretRef },
		permission: TUNNEL
	}),
	getTunnel: (account: string, tunnelId: string): ApiRequest => ({ method: 'GET', path: `/accounts/${account}/cfd_tunnel/${tunnelId}`, permission: TUNNEL }),
	tunnelToken: (account: string, tunnelId: string): ApiRequest => ({
		method: 'GET',
		path: `/accounts/${account}/cfd_tunnel/${tunnelId}/token`,
		permission: TUNNEL
	}),

	listDns: (zone: string, hostname: string): ApiRequest => ({ method: 'GET', path: `/zones/${zone}/dns_records?name=${q(hostname)}`, permission: DNS }),
	/** What `cloudflared tunnel route dns` makes: a proxied CNAME to `<tunnel id>.cfargotunnel.com`. */
	createDns: (zone: string, hostname: string, tunnelIdRef: string): ApiRequest => ({
		method: 'POST',
		path: `/zones/${zone}/dns_records`,
		body: { type: 'CNAME', name: hostname, content: `${tunnelIdRef}.cfargotunnel.com`, proxied: true, ttl: 1, comment: 'Comfy Pocket tunnel (npm run setup-remote)' },
		permission: DNS
	}),
	updateDns: (zone: string, recordId: string, tunnelIdRef: string): ApiRequest => ({
		method: 'PATCH',
		path: `/zones/${zone}/dns_records/${recordId}`,
		body: { type: 'CNAME', content: `${tunnelIdRef}.cfargotunnel.com`, proxied: true },
		permission: DNS
	}),

	listServiceTokens: (account: string): ApiRequest => ({ method: 'GET', path: `/accounts/${account}/access/service_tokens`, permission: ACCESS_TOKENS }),
	/** The answer is the only time Cloudflare shows the client secret. A year is the dashboard's default duration. */
	createServiceToken: (account: string, name: string): ApiRequest => ({
		method: 'POST',
		path: `/accounts/${account}/access/service_tokens`,
		body: { name, duration: '8760h' },
		permission: ACCESS_TOKENS
	}),
	/** A new client secret for an existing token (its id and client id stay). */
	rotateServiceToken: (account: string, tokenId: string): ApiRequest => ({
		method: 'POST',
		path: `/accounts/${account}/access/service_tokens/${tokenId}/rotate`,
		permission: ACCESS_TOKENS
	}),

	/** Extends the token's expiry (its secret stays). */
	refreshServiceToken: (account: string, tokenId: string): ApiRequest => ({
		method: 'POST',
		path: `/accounts/${account}/access/service_tokens/${tokenId}/refresh`,
		permission: ACCESS_TOKENS
	}),

	listPolicies: (account: string): ApiRequest => ({ method: 'GET', path: `/accounts/${account}/access/policies`, permission: ACCESS_APPS }),
	createPolicy: (account: string, name: string, tokenIdRef: string): ApiRequest => ({
		method: 'POST',
		path: `/accounts/${account}/access/policies`,
		body: servicePolicyBody(name, tokenIdRef),
		permission: ACCESS_APPS
	}),
	updatePolicy: (account: string, policyId: string, name: string, tokenIdRef: string): ApiRequest => ({
		method: 'PUT',
		path: `/accounts/${account}/access/policies/${policyId}`,
		body: servicePolicyBody(name, tokenIdRef),
		permission: ACCESS_APPS
	}),

	listApps: (account: string): ApiRequest => ({ method: 'GET', path: `/accounts/${account}/access/apps`, permission: ACCESS_APPS }),
	appPolicies: (account: string, appId: string): ApiRequest => ({ method: 'GET', path: `/accounts/${account}/access/apps/${appId}/policies`, permission: ACCESS_APPS }),
	createApp: (account: string, name: string, hostname: string, policyIds: string[]): ApiRequest => ({
		method: 'POST',
		path: `/accounts/${account}/access/apps`,
		body: appBody(name, hostname, policyIds),
		permission: ACCESS_APPS
	}),
	/** PUT replaces the application: its own settings go back unchanged, with the new policy list. */
	updateApp: (account: string, appId: string, settings: Record<string, unknown>, policyIds: string[]): ApiRequest => ({
		method: 'PUT',
		path: `/accounts/${account}/access/apps/${appId}`,
		body: { ...settings, policies: policyIds.map((id, i) => ({ id, precedence: i + 1 })) },
		permission: ACCESS_APPS
	})
};

/** Service Auth is the dashboard's name for the `non_identity` decision: no login page, the token's headers decide. */
function servicePolicyBody(name: string, tokenIdRef: string) {
	return { name, decision: 'non_identity', include: [{ service_token: { token_id: tokenIdRef } }], exclude: [], require: [] };
}

function appBody(name: string, hostname: string, policyIds: string[]) {
	return {
		name,
		domain: hostname,
		type: 'self_hosted',
		session_duration: '24h',
		app_launcher_visible: false,
		policies: policyIds.map((id, i) => ({ id, precedence: i + 1 }))
	};
}

/** The policy lets exactly this service token in through Service Auth. */
export function isServiceAuthFor(policy: AccessPolicy, tokenId: string): boolean {
	return policy.decision === 'non_identity' && policy.include.some((rule) => rule.service_token?.token_id === tokenId);
}

/** One call through the ports, unwrapped: the result, or a CloudflareError with the documented codes. */
export async function callApi<T>(ports: Pick<Ports, 'cloudflare'>, request: ApiRequest): Promise<T> {
	const { status, body } = await ports.cloudflare(request);
	return readEnvelope<T>(request, status, body);
}
