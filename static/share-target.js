// Imported into the generated service worker (vite.config.ts → workbox.importScripts). The manifest's
// share_target POSTs shared files here; the service worker keeps them in a cache and sends the app to
// /?shared=1, where the Library imports them (src/lib/app/library.service.ts) and empties the cache.
const SHARE_CACHE = 'comfy-pocket-shared';

self.addEventListener('fetch', (event) => {
	const url = new URL(event.request.url);
	if (event.request.method !== 'POST' || url.origin !== self.location.origin || url.pathname !== '/share-target') return;
	event.respondWith(
		(async () => {
			try {
				const form = await event.request.formData();
				const cache = await caches.open(SHARE_CACHE);
				const files = form.getAll('file').filter((f) => typeof f === 'object');
				let i = 0;
				for (const file of files) {
					const headers = { 'Content-Type': file.type || 'application/octet-stream', 'X-File-Name': encodeURIComponent(file.name || 'shared') };
					await cache.put(`/shared/${Date.now()}-${i++}`, new Response(file, { headers }));
				}
				return Response.redirect(files.length ? '/?shared=1' : '/?shared=0', 303);
			} catch {
				return Response.redirect('/?shared=error', 303);
			}
		})()
	);
});
