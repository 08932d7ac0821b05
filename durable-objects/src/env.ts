import type { RelayRpc } from './relay-host';

export interface Env {
	/** Static app assets; absent in the relay's workerd tests. */
	ASSETS?: Fetcher;
	RELAY: DurableObjectNamespace<RelayRpc>;
	/** The one ComfyUI this relay talks to. Configuration only, never taken from a client. */
	COMFY_URL: string;
	/**
	 * More rigs behind this relay (durable-objects/src/rigs.ts): a JSON object of rig names to upstream URLs. Each
	 * rig's secrets carry its name: COMFY_ACCESS_CLIENT_ID_<RIG>, COMFY_ACCESS_CLIENT_SECRET_<RIG>, COMFY_BEARER_<RIG>.
	 */
	RIGS?: string;
	/** Owner's secret for /relay/admin/* (a wrangler secret). */
	ADMIN_SECRET?: string;
	/** Cloudflare Access service token sent upstream when ComfyUI sits behind Access. */
	COMFY_ACCESS_CLIENT_ID?: string;
	COMFY_ACCESS_CLIENT_SECRET?: string;
	/** Bearer token sent upstream when a reverse proxy in front of ComfyUI asks for one. */
	COMFY_BEARER?: string;
	/** "1" when the upstream is the ComfyUI emulator (`npm run demo`); the app labels it simulated. */
	COMFY_SIMULATED?: string;
	/** VAPID contact (`mailto:` or https URL) push services may use to reach the owner; default: the relay's origin. */
	VAPID_SUBJECT?: string;
	/** Tests only: the origin of a local fake push service, admitted as a push endpoint. Never set it in production. */
	PUSH_TEST_ORIGIN?: string;
}
