// App start-up, in the order the first screen needs things: theme, preferences, servers and connection, then
// the service worker and the install nudge, which nothing on screen waits for.
import { countResults, requestPersistence } from '$lib/storage';
import { appUpdate } from '$lib/pwa/update.svelte';
import { installNudge } from '$lib/pwa/install.svelte';
import { session } from './session.svelte';
import { preferences } from './settings.svelte';
import { theme } from './theme.svelte';

export async function startApp(): Promise<void> {
	await Promise.all([theme.load(), preferences.load()]);
	void session.start();
	void import('./run/wiring.svelte').then(({ wireRuns }) => wireRuns());
	void appUpdate.register();
	await installNudge.init();
	// Once the app holds results, ask the browser not to evict them (Safari clears idle sites' storage).
	const results = await countResults().catch(() => 0);
	if (results > 0) {
		installNudge.offer();
		void requestPersistence();
	}
}
