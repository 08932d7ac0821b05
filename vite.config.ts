import { sveltekit } from '@sveltejs/kit/vite';
import { SvelteKitPWA } from '@vite-pwa/sveltekit';
import { defineConfig } from 'vite';
import { messageCatalog } from './tools/i18n/catalog.js';

const THEME = '#111318';

export default defineConfig({
	plugins: [
		// Compiles messages/*.json with Paraglide into src/lib/paraglide: per locale, the first screen's words and the
		// rest, each loaded on demand by src/lib/i18n (see tools/i18n/catalog.ts).
		messageCatalog(),
		sveltekit(),
		// Precaches the app shell so the app starts offline; the page registers /sw.js itself with workbox-window
		// (src/lib/pwa/update.svelte.ts) and asks before switching to a new version.
		SvelteKitPWA({
			strategies: 'generateSW',
			registerType: 'prompt',
			injectRegister: false,
			// The adapter writes the SPA shell (index.html) after the service worker is generated: precache it as "/".
			kit: { adapterFallback: 'index.html', spa: { fallbackMapping: '/' } },
			manifest: {
				id: '/',
				name: 'Comfy Pocket',
				short_name: 'Comfy Pocket',
				description: 'Run your own ComfyUI workflows from your phone: forms, live previews, results kept on the device.',
				start_url: '/',
				scope: '/',
				display: 'standalone',
				display_override: ['standalone'],
				orientation: 'any',
				theme_color: THEME,
				background_color: THEME,
				categories: ['graphics', 'productivity'],
				icons: [
					{ src: '/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
					{ src: '/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
					{ src: '/icon-maskable-192.png', sizes: '192x192', type: 'image/png', purpose: 'maskable' },
					{ src: '/icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' }
				],
				// Chrome's richer install sheet shows these (phone size, ratio under 2.3).
				screenshots: [
					{ src: '/screenshots/library.png', sizes: '1082x2202', type: 'image/png', form_factor: 'narrow', label: 'Your workflows, kept on the phone' },
					{ src: '/screenshots/run.png', sizes: '1082x2202', type: 'image/png', form_factor: 'narrow', label: 'Generate and browse the results' }
				],
				shortcuts: [
					{ name: 'History', url: '/history', icons: [{ src: '/icon-192.png', sizes: '192x192' }] },
					{ name: 'Models', url: '/models', icons: [{ src: '/icon-192.png', sizes: '192x192' }] },
					{ name: 'Settings', url: '/settings', icons: [{ src: '/icon-192.png', sizes: '192x192' }] }
				],
				// Sharing a PNG (or a workflow file) from another app imports it; the service worker catches this POST
				// (static/share-target.js).
				share_target: {
					action: '/share-target',
					method: 'POST',
					enctype: 'multipart/form-data',
					params: {
						files: [
							{
								name: 'file',
								accept: ['image/png', 'image/webp', 'application/json', '.json', 'video/mp4', 'video/webm', 'audio/flac']
							}
						]
					}
				},
				launch_handler: { client_mode: 'navigate-existing' }
			},
			workbox: {
				navigateFallback: '/',
				navigateFallbackDenylist: [/^\/relay\//, /^\/share-target/],
				importScripts: ['/share-target.js', '/notification-click.js', '/push.js', '/outbox-sync.js'],
				globPatterns: ['client/**/*.{js,css,ico,png,svg,webp,webmanifest}'],
				// Install-sheet pictures are fetched by the browser when needed, not by every visit.
				globIgnores: ['client/screenshots/**'],
				cleanupOutdatedCaches: true,
				// The first visit is controlled at once, so it already works offline; updates still wait for "Reload".
				clientsClaim: true
			}
		})
	]
});
