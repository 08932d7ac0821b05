// Where the e2e servers listen (playwright.config.ts starts them). E2E_PORT moves the app when 8790 is taken.
export const APP_PORT = Number(process.env.E2E_PORT ?? 8790);
export const APP_ORIGIN = `http://127.0.0.1:${APP_PORT}`;
/** The ComfyUI emulator started with `--enable-cors-header <app origin>`. */
export const EMULATOR_PORT = Number(process.env.E2E_EMULATOR_PORT ?? APP_PORT + 1);
export const EMULATOR_URL = `http://127.0.0.1:${EMULATOR_PORT}`;
/** The same emulator without the CORS flag: it refuses the app like a default ComfyUI does. */
export const EMULATOR_NO_CORS_PORT = EMULATOR_PORT + 1;
export const EMULATOR_NO_CORS_URL = `http://127.0.0.1:${EMULATOR_NO_CORS_PORT}`;
/** The relay's ADMIN_SECRET in e2e runs (a test value; deployments use `wrangler secret put ADMIN_SECRET`). */
export const E2E_ADMIN_SECRET = 'e2e-admin-secret';
