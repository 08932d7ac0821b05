import { defineConfig, devices } from '@playwright/test';

// The app is tested as users get it: the production build served by workerd (`wrangler dev`, the same worker
// that deploys), in Debian's Chromium at phone size. The ComfyUI side is the emulator in tools/comfy-emulator,
// three times: once started with --enable-cors-header for the app's origin (the working LAN setup), once without
// (the most common LAN failure, which the connection diagnosis must recognise), and once as today's ComfyUI
// (--profile 2026, with CORS), which the main journeys also run against.
// Ports come from tests/e2e/support/ports.ts so specs and servers agree.
import { APP_ORIGIN, APP_PORT, E2E_ADMIN_SECRET, EMULATOR_2026_PORT, EMULATOR_NO_CORS_PORT, EMULATOR_PORT, EMULATOR_URL } from './tests/e2e/support/ports';

const emulator = (port: number, cors: string | null, profile = '0.3.64') => ({
	command: `npx tsx tools/comfy-emulator/cli.ts --port ${port}${cors ? ` --cors ${cors}` : ''} --profile ${profile}`,
	url: `http://127.0.0.1:${port}/system_stats`,
	reuseExistingServer: false,
	timeout: 60_000
});

export default defineConfig({
	testDir: 'tests/e2e',
	outputDir: 'test-results',
	workers: 1,
	// On CI (a shared, noisy machine) a failed test runs once more and, if it then passes, is reported as flaky in
	// the output rather than sinking the run; locally nothing is retried, so a flaky test shows as a failure.
	retries: process.env.CI ? 1 : 0,
	reporter: [['list']],
	timeout: 45_000,
	use: {
		...devices['Pixel 7'],
		browserName: 'chromium',
		baseURL: APP_ORIGIN,
		headless: true,
		trace: 'retain-on-failure',
		launchOptions: {
			executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
			args: [
				'--no-sandbox',
				'--disable-gpu',
				'--disable-quic',
				'--no-first-run',
				'--disable-background-networking',
				'--disable-component-update',
				'--disable-sync'
			]
		}
	},
	webServer: [
		{
			// The relay in the same worker talks to the CORS emulator and has a known admin secret (tests/e2e/relay-pair.spec.ts).
			// Its Durable Object state lives apart from `npm start`'s and is wiped by `npm run test:e2e` before each run:
			// runs piled up from earlier runs made the shared-runs journey fail locally (CI starts clean anyway).
			command: `npx wrangler dev --ip 127.0.0.1 --port ${APP_PORT} --persist-to .wrangler/e2e-state-${APP_PORT} --inspector-port 0 --show-interactive-dev-session=false --var COMFY_URL:${EMULATOR_URL} --var ADMIN_SECRET:${E2E_ADMIN_SECRET} --var COMFY_SIMULATED:1`,
			url: `${APP_ORIGIN}/`,
			reuseExistingServer: false,
			timeout: 60_000,
			env: { WRANGLER_SEND_METRICS: 'false' }
		},
		emulator(EMULATOR_PORT, APP_ORIGIN),
		emulator(EMULATOR_NO_CORS_PORT, null),
		emulator(EMULATOR_2026_PORT, APP_ORIGIN, '2026')
	]
});
