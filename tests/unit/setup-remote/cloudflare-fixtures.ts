// Cloudflare API answers, written from Cloudflare's documentation (never captured from the live API: these
// machines cannot reach it). Each says which page it follows. The envelope is the documented one:
// `{success, errors: [{code, message}], messages, result}`.

export const ACCOUNT = '699d98642c564d2e855e9661899b7252';
export const OTHER_ACCOUNT = '023e105f4ecef8ad9ca31a8372d0c353';
export const ZONE_ID = 'b3c9f7f2a1d84f5e9c6b2a7d8e1f0a93';

export function ok<T>(result: T, extra: Record<string, unknown> = {}) {
	return { success: true, errors: [], messages: [], result, ...extra };
}

export function failure(...errors: { code: number; message: string }[]) {
	return { success: false, errors, messages: [], result: null };
}

/** developers.cloudflare.com/fundamentals/api/troubleshooting/ ("The token is not verified"), the Verify Token
 * reference (api/resources/user/subresources/tokens/methods/verify), messages as in putyourlightson/craft-cloudflare#88. */
export const verifyActive = {
	success: true,
	errors: [],
	messages: [{ code: 10000, message: 'This API Token is valid and active', type: null }],
	result: { id: 'f267e341f3dd4697bd3b9f71dd96247f', status: 'active', not_before: '2018-07-01T05:20:00Z', expires_on: '2030-01-01T00:00:00Z' }
};

/** Same reference: status is one of active | disabled | expired. */
export const verifyExpired = ok({ id: 'f267e341f3dd4697bd3b9f71dd96247f', status: 'expired' });

/** HTTP 401 for a token that does not exist ("Invalid API Token", code 1000; the verify route's documented error
 * objects carry code ≥ 1000). */
export const invalidToken = failure({ code: 1000, message: 'Invalid API Token' });

/** HTTP 403, code 9109: a token Cloudflare refuses to use (reported as "Invalid access token"; with IP filtering
 * "Cannot use the access token from location: …", jeessy2/ddns-go#1341). */
export const invalidAccessToken = failure({ code: 9109, message: 'Invalid access token' });

/** HTTP 403, code 10000 "Authentication error": the token lacks the permission for this call. Workers API
 * "Authorization errors" (developers.cloudflare.com/workers/tooling/api/requests) and
 * developers.cloudflare.com/terraform/troubleshooting/authentication-error-dns-records/. */
export const authenticationError = failure({ code: 10000, message: 'Authentication error' });

/** HTTP 404, codes 7003 + 7000: a malformed or unknown account/zone id in the path (same Workers API page). */
export const noRoute = failure(
	{ code: 7003, message: `Could not route to /accounts/not-an-account/cfd_tunnel, perhaps your object identifier is invalid?` },
	{ code: 7000, message: 'No route for that URI' }
);

/** DNS: creating a record where one exists (message as in joshuaavalon/SynologyCloudflareDDNS#29; code 81054). */
export const dnsRecordExists = failure({ code: 81054, message: 'A CNAME record with that host already exists.' });

/** The generic documented 4XX shape (every Access route's "response failure"), as for an Access app that exists. */
export const accessConflict = {
	success: false,
	errors: [{ code: 12130, message: 'access.api.error.conflict: application already exists', documentation_url: '', source: { pointer: '' } }],
	messages: [],
	result: {}
};

/** Zones list with name filter (api/resources/zones/methods/list): a zone object with its account. */
export function zone(name: string, account = ACCOUNT) {
	return { id: ZONE_ID, name, status: 'active', account: { id: account, name: 'Alice' } };
}

/** Create a Cloudflare Tunnel: the example answer of cloudflare-one/.../create-remote-tunnel-api/ (status inactive,
 * connections empty), with remote_config false for config_src "local". */
export function tunnel(id: string, name: string, opts: { remote?: boolean; status?: string } = {}) {
	return {
		id,
		account_tag: ACCOUNT,
		created_at: '2025-02-18T22:41:43.534395Z',
		deleted_at: null,
		name,
		connections: [],
		conns_active_at: null,
		conns_inactive_at: '2025-02-18T22:41:43.534395Z',
		tun_type: 'cfd_tunnel',
		metadata: {},
		status: opts.status ?? 'inactive',
		remote_config: opts.remote ?? false
	};
}

/** A tunnel token (GET …/cfd_tunnel/{id}/token answers a string): base64 of {"a","t","s"}. */
export function tunnelToken(tunnelId: string, secret: string): string {
	return Buffer.from(JSON.stringify({ a: ACCOUNT, t: tunnelId, s: secret })).toString('base64');
}

/** DNS record object (api/resources/dns/subresources/records). */
export function dnsRecord(id: string, name: string, type: string, content: string, proxied = true) {
	return { id, zone_id: ZONE_ID, zone_name: 'example.com', name, type, content, proxied, proxiable: true, ttl: 1, comment: null, tags: [] };
}

/** Service token create answer (POST /accounts/{id}/access/service_tokens, 201): the only time the secret shows. */
export function serviceTokenCreated(id: string, name: string, clientId: string, clientSecret: string) {
	return { client_id: clientId, client_secret: clientSecret, created_at: '2026-12-04T20:00:00Z', duration: '8760h', id, name, updated_at: '2026-12-04T20:00:00Z' };
}

/** Service token list item (GET …/access/service_tokens): no secret. */
export function serviceTokenListed(id: string, name: string, clientId: string, expiresAt = '2027-12-04T20:00:00Z') {
	return { client_id: clientId, created_at: '2026-12-04T20:00:00Z', duration: '8760h', expires_at: expiresAt, id, last_seen_at: null, name, updated_at: '2026-12-04T20:00:00Z' };
}

/** Reusable policy (POST/GET /accounts/{id}/access/policies): decision is allow | deny | non_identity | bypass. */
export function policy(id: string, name: string, decision: string, include: unknown[]) {
	return { id, name, decision, include, exclude: [], require: [], reusable: true, app_count: 1, created_at: '2026-12-04T20:00:00Z', updated_at: '2026-12-04T20:00:00Z' };
}

/** Access application (api/resources/zero_trust/subresources/access/subresources/applications). */
export function app(id: string, name: string, domain: string) {
	return { id, uid: id, aud: 'a'.repeat(64), name, domain, type: 'self_hosted', session_duration: '24h', allowed_idps: [], app_launcher_visible: false };
}
