// The one interface between the wizard and the outside world: the Cloudflare API, the two CLIs (wrangler,
// cloudflared), the files in the person's home, plain HTTP probes and the relay's admin calls. real-ports.ts
// implements it; tests give a fake one. Everything else in tools/setup-remote/ decides, and does nothing itself.
import type { ApiRequest } from './types';

export interface CommandResult {
	code: number;
	stdout: string;
	stderr: string;
}

export interface CommandOptions {
	/** Written to the command's standard input (how `wrangler secret put` takes a value without echoing it). */
	stdin?: string;
	/** Let the person talk to the command (`wrangler login`, `sudo`): output is not captured. */
	interactive?: boolean;
}

export interface HttpAnswer {
	status: number;
	/** Lower-cased header names. */
	headers: Record<string, string>;
	/** The first few kilobytes of the body. */
	body: string;
}

export interface HttpRequest {
	method?: 'GET' | 'POST';
	headers?: Record<string, string>;
	body?: string;
	/** Redirects are never followed: a redirect to the Access login page is an answer in itself. */
	timeoutMs?: number;
}

export interface Ports {
	/** A Cloudflare API call: the HTTP status and the parsed JSON body (or null when it was not JSON). */
	cloudflare(request: ApiRequest): Promise<{ status: number; body: unknown }>;
	/** Runs wrangler (the project's pinned one), with CLOUDFLARE_ACCOUNT_ID set to the chosen account. */
	wrangler(args: string[], options?: CommandOptions): Promise<CommandResult>;
	/** Runs cloudflared from PATH; null when it is not installed. */
	cloudflared(args: string[], options?: CommandOptions): Promise<CommandResult | null>;
	/** Any other program (`npx vite build`, `sudo cloudflared …`). */
	run(program: string, args: string[], options?: CommandOptions): Promise<CommandResult>;
	/** Throws on network failure (no route, DNS, refused); the message says which. */
	http(url: string, request?: HttpRequest): Promise<HttpAnswer>;
	/** Opens the relay's phone socket with a ticket and resolves with each `upstream` state until `until` is true. */
	watchRelay(wsUrl: string, until: (state: { status: string; error?: string }) => boolean, timeoutMs: number): Promise<{ status: string; error?: string } | null>;
	sleep(ms: number): Promise<void>;
	readFile(path: string): Promise<string | null>;
	writeFile(path: string, content: string, mode: number): Promise<void>;
	/** The relay's admin calls and the pairing QR code: tools/relay-admin.mjs, shared with `npm run pair`. */
	relayAdmin: {
		createPairingCode(relay: string, secret: string): Promise<{ code: string; expiresAt: number }>;
		revokeDevice(relay: string, secret: string, deviceId: string): Promise<unknown>;
		showPairing(link: string, expiresAt: number): Promise<void>;
	};
	system: { platform: NodeJS.Platform; home: string; isRoot: boolean; version: string; now(): number };
	log(line: string): void;
	/** Asks a question; `secret` hides the typing. Resolves with the default when the answer is empty. */
	ask(question: string, fallback: string, options?: { secret?: boolean }): Promise<string>;
}
