import { defineConfig, devices } from '@playwright/test';

// The app is tested as users get it: the production build served by workerd (`wrangler dev`, the same worker
// that deploys), in Debian's Chromium at phone size. The ComfyUI side is the emulator in tools/comfy-emulator.
const PORT = Number(process.env.E2E_PORT ?? 8790);

export default defineConfig({
	testDir: 'tests/e2e',
	outputDir: 'test-results',
	workers: 1,
	retries: 0,
	reporter: [['list']],
	timeout: 45_000,
	use: {
		...devices['Pixel 7'],
		browserName: 'chromium',
		baseURL: `http://127.0.0.1:${PORT}`,
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
	webServer: {
		command: `npx wrangler dev --ip 127.0.0.1 --port ${PORT} --inspector-port 0 --show-interactive-dev-session=false`,
		url: `http://127.0.0.1:${PORT}/`,
		reuseExistingServer: false,
		timeout: 60_000,
		env: { WRANGLER_SEND_METRICS: 'false' }
	}
});
