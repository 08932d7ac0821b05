// Background Sync for the outbox (Chrome on Android): the app registers the sync 'comfy-pocket-outbox' when a run
// waits for its server; when the browser fires it (the network is back), the app's open windows — also one in the
// background — are told to send (src/lib/app/outbox/outbox-wiring.svelte.ts). With no window of the app alive,
// nothing is sent from here: the outbox goes the next time the app opens. Safari (iOS) has no Background Sync.
self.addEventListener('sync', (event) => {
	if (event.tag !== 'comfy-pocket-outbox') return;
	event.waitUntil(
		self.clients.matchAll({ type: 'window', includeUncontrolled: true }).then((windows) => {
			for (const client of windows) client.postMessage({ type: 'outbox-sync' });
		})
	);
});
