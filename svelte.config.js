import adapter from '@sveltejs/adapter-cloudflare';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/**
 * The app is a static, fully client-side PWA: every route is prerendered or falls back to the SPA shell.
 * The adapter reads `durable-objects/app.wrangler.toml` only to learn where to write the static assets;
 * the deployable worker (relay + assets) is configured in the top-level `wrangler.toml`.
 * @type {import('@sveltejs/kit').Config}
 */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		adapter: adapter({
			config: 'durable-objects/app.wrangler.toml',
			platformProxy: { configPath: 'durable-objects/app.wrangler.toml' }
		}),
		serviceWorker: { register: false }
	}
};

export default config;
