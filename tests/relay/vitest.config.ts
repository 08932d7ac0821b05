import { defineConfig } from 'vitest/config';
import { cloudflareTest } from '@cloudflare/vitest-pool-workers';

export default defineConfig({
	plugins: [cloudflareTest({ wrangler: { configPath: './wrangler.test.toml' } })],
	test: { name: 'relay', include: ['**/*.test.ts'], globalSetup: ['./global-setup.ts'], testTimeout: 30_000 }
});
