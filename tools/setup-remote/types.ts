// The wizard's data: what the person answered, what the wizard found, and the steps it plans. Plain data only, so
// the plan can be printed (--dry-run), tested and compared between runs.

export interface Answers {
	/** The public hostname for ComfyUI, e.g. `comfy.example.com`. */
	hostname: string;
	/** The port ComfyUI listens on at this machine (loopback). */
	comfyPort: number;
	/** The Cloudflare account everything goes into (32 hex). */
	accountId: string;
	tunnelName: string;
	/** Name of the Access application, the service token and the Service Auth policy. */
	accessName: string;
	/** Replace a DNS record for the hostname that points somewhere else (else the wizard stops and says so). */
	replaceDns: boolean;
	/** `install`: run cloudflared as a service where the OS allows it; `skip`: the person runs it. */
	service: 'install' | 'skip';
	/** The relay's public URL when known in advance (a custom domain); else taken from `wrangler deploy`. */
	relayUrl: string | null;
}

/** Secrets made on this machine before planning (random; injected so that the plan stays a pure function). */
export interface Generated {
	adminSecret: string;
	tunnelSecret: string;
}

export interface Account {
	id: string;
	name: string;
}

export interface DnsRecord {
	id: string;
	type: string;
	name: string;
	content: string;
	proxied: boolean;
}

export interface Tunnel {
	id: string;
	name: string;
	/** true when the tunnel's ingress is managed in the dashboard (config_src "cloudflare"): a local file is ignored. */
	remoteConfig: boolean;
	/** `inactive`, `degraded`, `healthy` or `down` (Tunnel API). */
	status: string;
}

export interface ServiceToken {
	id: string;
	name: string;
	clientId: string;
	expiresAt: string | null;
}

export interface AccessRule {
	service_token?: { token_id: string };
	[other: string]: unknown;
}

export interface AccessPolicy {
	id: string;
	name: string;
	/** `allow`, `deny`, `non_identity` (Service Auth) or `bypass`. */
	decision: string;
	include: AccessRule[];
}

export interface AccessApp {
	id: string;
	name: string;
	domain: string;
	type: string;
	/** The policies attached to the application (reusable or not), as the app policies list returns them. */
	policies: AccessPolicy[];
	/** The application's other settings as Cloudflare listed them (ids and timestamps left out), kept on update. */
	settings: Record<string, unknown>;
}

/** What the wizard found before planning. */
export interface Observed {
	platform: NodeJS.Platform;
	home: string;
	isRoot: boolean;
	zone: { id: string; name: string };
	tunnel: Tunnel | null;
	/** The tunnel's credentials file exists in ~/.cloudflared. */
	credentialsFile: boolean;
	/** Current content of the ingress config file the wizard manages, if any. */
	configFile: string | null;
	dnsRecords: DnsRecord[];
	serviceToken: ServiceToken | null;
	policy: AccessPolicy | null;
	app: AccessApp | null;
	/** Names of the secrets the deployed Worker has (`wrangler secret list`); empty when it was never deployed. */
	relaySecrets: string[];
	/** The ADMIN_SECRET kept outside the repository by an earlier run, if any. */
	savedAdminSecret: string | null;
	/** What an earlier run deployed (from the state file outside the repository), if any. */
	deployed: { relayUrl: string; comfyUrl: string; version: string } | null;
	/** The version of this checkout (git HEAD), compared with `deployed.version`. */
	version: string;
	/** Milliseconds since the epoch, when the state was read (for the service token's expiry). */
	now: number;
	/** The deployed relay answers at `deployed.relayUrl` (401 to an unauthenticated /relay/info). */
	relayAnswers: boolean;
}

/** A request to api.cloudflare.com/client/v4. Strings may hold `${key}` references into the run's context. */
export interface ApiRequest {
	method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
	path: string;
	body?: unknown;
	/** The token permission this call needs, named as the dashboard names it (for the fix when it is missing). */
	permission: string;
}

/** Copies values out of a step's result into the context, for the steps after it. */
export interface Capture {
	key: string;
	/** A dotted path into the API result, or `stdout:<regex>` for a command. */
	from: string;
	/** `tunnel-token-secret`: the API returns a tunnel token (base64 JSON); keep its secret part. */
	transform?: 'tunnel-token-secret';
}

export type Action =
	| { kind: 'api'; request: ApiRequest; capture?: Capture[] }
	| { kind: 'command'; tool: 'wrangler' | 'cloudflared' | 'npx' | 'sudo'; args: string[]; stdin?: string; capture?: Capture[]; fix?: string }
	| { kind: 'write-file'; path: string; content: string; mode: number }
	| { kind: 'manual'; instructions: string };

export interface Step {
	id: string;
	/** What the step does, said before it runs. */
	title: string;
	actions: Action[];
}

/** Values known before planning or learnt by earlier steps; keys starting with `secret.` are masked in output. */
export type Context = Record<string, string>;
