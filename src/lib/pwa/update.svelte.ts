// Service worker registration and the "update available" prompt (workbox-window). A waiting update is applied
// only when the user taps Reload, and the toast stays hidden while a job runs (see `session.busy`).

class AppUpdate {
	/** A new version is installed and waiting. */
	available = $state(false);
	/** The service worker controls the page: the app shell is cached and starts offline. */
	offlineReady = $state(false);
	#apply: (() => void) | null = null;

	async register(): Promise<void> {
		if (!('serviceWorker' in navigator) || !window.isSecureContext) return;
		const { Workbox } = await import('workbox-window');
		const wb = new Workbox('/sw.js', { scope: '/' });
		wb.addEventListener('waiting', () => {
			this.#apply = () => {
				wb.addEventListener('controlling', () => location.reload());
				wb.messageSkipWaiting();
			};
			this.available = true;
		});
		wb.addEventListener('activated', () => {
			this.offlineReady = true;
		});
		try {
			const registration = await wb.register();
			if (navigator.serviceWorker.controller) this.offlineReady = true;
			// Installed apps stay open for days: look for a new version whenever the app comes back to the front.
			document.addEventListener('visibilitychange', () => {
				if (document.visibilityState === 'visible') void registration?.update().catch(() => undefined);
			});
		} catch {
			// No service worker (private mode, blocked): the app still works online.
		}
	}

	reload(): void {
		this.#apply?.();
	}

	dismiss(): void {
		this.available = false;
	}
}

export const appUpdate = new AppUpdate();
