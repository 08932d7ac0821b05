import { defineConfig } from 'vitest/config';
import { sveltekit } from '@sveltejs/kit/vite';
import { messageCatalog } from './tools/i18n/catalog.js';

// One `vitest run` covers two tiers:
//  - unit: pure TypeScript (protocol, workflow engine, storage, emulator conformance) in Node;
//  - relay: the Worker and its Durable Object in real workerd (see tests/relay/vitest.config.ts).
export default defineConfig({
	test: {
		projects: [
			'./tests/relay/vitest.config.ts',
			{
				plugins: [messageCatalog(), sveltekit()],
				test: {
					name: 'unit',
					environment: 'node',
					include: ['src/**/*.test.ts', 'tests/unit/**/*.test.ts', 'tools/**/*.test.ts'],
					setupFiles: ['tests/unit/i18n/setup.ts'],
					testTimeout: 20_000
				}
			}
		]
	}
});
