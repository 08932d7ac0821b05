// Imported into the generated service worker (vite.config.ts → workbox.importScripts). The relay sends a Web Push
// message when a run it queued ends ({ promptId, status, title? }, see durable-objects/src/push-send.ts), so the
// phone hears of it even with the app closed. If a window of the app is in view, the page already shows the run and
// nothing is shown here, nor when the page already announced this run; otherwise one notification per prompt, which
// static/notification-click.js opens.
const PUSH_BODIES = { succeeded: 'Done', failed: 'Failed', interrupted: 'Stopped' };

self.addEventListener('push', (event) => {
	event.waitUntil(
		(async () => {
			let notice = null;
			try {
				notice = event.data ? event.data.json() : null;
			} catch {
				notice = null;
			}
			if (!notice || typeof notice.promptId !== 'string') return;
			const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
			if (windows.some((client) => client.visibilityState === 'visible')) return;
			// The open page may already have announced this run itself (src/lib/pwa/done-alerts-wiring.ts lists its
			// prompts in data.promptIds) with more detail; a notification of the app is then showing, so the browser's
			// rule that every push shows one is met.
			const shown = await self.registration.getNotifications();
			if (shown.some((n) => n.data && Array.isArray(n.data.promptIds) && n.data.promptIds.includes(notice.promptId))) return;
			const title = typeof notice.title === 'string' && notice.title.trim() ? notice.title.trim().slice(0, 80) : 'Comfy Pocket';
			await self.registration.showNotification(title, {
				body: PUSH_BODIES[notice.status] || 'Finished',
				icon: '/icon-192.png',
				tag: `push:${notice.promptId}`,
				data: { url: '/history' }
			});
		})()
	);
});
