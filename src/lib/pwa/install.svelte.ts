// The install nudge: Chromium's deferred `beforeinstallprompt`, or illustrated steps on iOS Safari, which has no
// install API. Shown only after the first successful result (ux-notes §2), and once dismissed, never again.
import { getSetting, setSetting } from '$lib/storage';

interface InstallPromptEvent extends Event {
	prompt(): Promise<void>;
	userChoice: Promise<{ outcome: 'accepted' | 'dismissed' }>;
}

const DISMISSED_KEY = 'installNudgeDismissed';

export function isStandalone(): boolean {
	return matchMedia('(display-mode: standalone)').matches || (navigator as Navigator & { standalone?: boolean }).standalone === true;
}

export function isIosSafari(userAgent: string): boolean {
	return /\b(iPhone|iPad|iPod)\b/.test(userAgent) && !/\b(CriOS|FxiOS|EdgiOS)\b/.test(userAgent);
}

class InstallNudge {
	/** 'prompt': Chromium can show its install sheet; 'ios': show the Share → Add to Home Screen steps. */
	mode = $state<'prompt' | 'ios' | null>(null);
	visible = $state(false);
	#event: InstallPromptEvent | null = null;
	#dismissed = true;

	async init(): Promise<void> {
		if (isStandalone()) return;
		this.#dismissed = await getSetting(DISMISSED_KEY, false).catch(() => false);
		if (isIosSafari(navigator.userAgent)) this.mode = 'ios';
		window.addEventListener('beforeinstallprompt', (event) => {
			event.preventDefault();
			this.#event = event as InstallPromptEvent;
			this.mode = 'prompt';
		});
		window.addEventListener('appinstalled', () => {
			this.visible = false;
			this.mode = null;
		});
	}

	/** Called after a result was saved: the moment the app has proven useful. */
	offer(): void {
		if (!this.#dismissed && this.mode) this.visible = true;
	}

	async install(): Promise<void> {
		const event = this.#event;
		this.visible = false;
		if (!event) return;
		await event.prompt();
		this.#event = null;
	}

	async dismiss(): Promise<void> {
		this.visible = false;
		this.#dismissed = true;
		await setSetting(DISMISSED_KEY, true).catch(() => undefined);
	}
}

export const installNudge = new InstallNudge();
