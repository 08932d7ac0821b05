// Where the e2e servers listen (playwright.config.ts starts them). E2E_PORT moves the app when 8790 is taken.
export const APP_PORT = Number(process.env.E2E_PORT ?? 8790);
export const APP_ORIGIN = `http://127.0.0.1:${APP_PORT}`;
/** The ComfyUI emulator started with `--enable-cors-header <app origin>`. */
export const EMULATOR_PORT = Number(process.env.E2E_EMULATOR_PORT ?? APP_PORT + 1);
export const EMULATOR_URL = `http://127.0.0.1:${EMULATOR_PORT}`;
/** The same emulator without the CORS flag: it refuses the app like a default ComfyUI does. */
export const EMULATOR_NO_CORS_PORT = EMULATOR_PORT + 1;
export const EMULATOR_NO_CORS_URL = `http://127.0.0.1:${EMULATOR_NO_CORS_PORT}`;
/** The emulator as today's ComfyUI (`--profile 2026`, captures-2026: job API, V3 types), with CORS for the app.
 * APP_PORT + 4: APP_PORT + 3 is the outbox spec's own emulator. */
export const EMULATOR_2026_PORT = APP_PORT + 4;
export const EMULATOR_2026_URL = `http://127.0.0.1:${EMULATOR_2026_PORT}`;
/** The server generations the main journeys run against. */
export const GENERATIONS = [
	{ name: '0.3.64', url: EMULATOR_URL },
	{ name: '2026', url: EMULATOR_2026_URL }
] as const;
/** The relay's ADMIN_SECRET in e2e runs (a test value; deployments use `wrangler secret put ADMIN_SECRET`). */
export const E2E_ADMIN_SECRET = 'e2e-admin-secret';
/** home-away.spec.ts: a TCP proxy to the CORS emulator standing in for the server's LAN address, which comes and goes. */
export const LAN_PROXY_PORT = APP_PORT + 5;
export const LAN_PROXY_URL = `http://127.0.0.1:${LAN_PROXY_PORT}`;
/** pools.spec.ts: its own two rigs (emulators with different /object_info) that the spec starts and stops. */
export const POOL_RIG_A_PORT = APP_PORT + 7;
export const POOL_RIG_B_PORT = APP_PORT + 8;
