// Whether this browser can show "Done" notifications, asking for the permission (only ever from the user's tap on
// the Settings switch), and what to tell the user when it cannot.
import { isIosSafari, isStandalone } from './install.svelte';
import { m } from '$lib/i18n';

/** The browser's permission, or why notifications cannot work here at all. */
export type AlertSupport = NotificationPermission | 'home-screen' | 'insecure' | 'unsupported';

export function alertSupport(): AlertSupport {
	if (typeof window === 'undefined') return 'unsupported';
	// Notifications and service workers exist only for https pages (and localhost); an http LAN address has neither.
	if (!window.isSecureContext) return 'insecure';
	if (!('Notification' in window) || !('serviceWorker' in navigator)) {
		// iOS Safari has the API only inside an app added to the Home Screen (iOS 16.4+).
		return isIosSafari(navigator.userAgent) && !isStandalone() ? 'home-screen' : 'unsupported';
	}
	return Notification.permission;
}

/** The permission the decision function needs: granted, or anything else that rules notifications out. */
export function alertPermission(): NotificationPermission | 'unsupported' {
	const support = alertSupport();
	return support === 'granted' || support === 'denied' || support === 'default' ? support : 'unsupported';
}

/** Must run inside the tap's handler: browsers refuse (or silently deny) requests without a user gesture. */
export async function requestAlertPermission(): Promise<AlertSupport> {
	const support = alertSupport();
	if (support !== 'default') return support;
	try {
		return await Notification.requestPermission();
	} catch {
		return alertSupport();
	}
}

/** The line under the switch: why it is off or disabled and what the user can do. Null when there is nothing to say. */
export function alertSupportNote(support: AlertSupport, asked: boolean): string | null {
	switch (support) {
		case 'home-screen':
			return m.alerts_home_screen();
		case 'insecure':
			return m.alerts_insecure();
		case 'unsupported':
			return m.alerts_unsupported();
		case 'denied':
			return m.alerts_denied();
		case 'default':
			return asked ? m.alerts_not_allowed() : null;
		case 'granted':
			return null;
	}
}
