// Imported into the generated service worker (vite.config.ts → workbox.importScripts). Tapping a "Done" alert
// (src/lib/pwa/done-alerts-wiring.ts) brings the app to the front on the run it announces: an open app window is
// focused and sent there, or a new one is opened. Only same-origin paths from the notification's data are followed.
self.addEventListener('notificationclick', (event) => {
	event.notification.close();
	const wanted = event.notification.data && typeof event.notification.data.url === 'string' ? event.notification.data.url : '/';
	const target = new URL(wanted, self.location.origin);
	const url = target.origin === self.location.origin ? target.href : self.location.origin + '/';
	event.waitUntil(
		(async () => {
			const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
			const open = windows.find((client) => new URL(client.url).origin === self.location.origin);
			if (!open) {
				await self.clients.openWindow(url);
				return;
			}
			const focused = await open.focus().catch(() => open);
			if (focused.url !== url) await focused.navigate(url).catch(() => self.clients.openWindow(url));
		})()
	);
});
