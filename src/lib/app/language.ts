// The language setting (IndexedDB settings, key "locale": a locale or "system" = follow the phone) and loading it
// at start. Changing it stores the choice and reloads the app: every screen is drawn again in the new language, and
// what they show (workflows, runs, results, outbox) is kept in IndexedDB, so nothing is lost.
import { getSetting, setSetting } from '$lib/storage';
import { FOLLOW_PHONE, LOCALES, loadLocale, loadRestOfMessages, phoneLocale, prefetchLocale } from '$lib/i18n';

const LOCALE_KEY = 'locale';

/** The stored choice: a locale, or FOLLOW_PHONE. */
export async function storedLocaleChoice(): Promise<string> {
	const stored = await getSetting<unknown>(LOCALE_KEY).catch(() => undefined);
	return typeof stored === 'string' && (stored === FOLLOW_PHONE || LOCALES.includes(stored)) ? stored : FOLLOW_PHONE;
}

/** The one screen that draws with the first part of the messages only (see tools/i18n/catalog.ts). */
export const FIRST_SCREEN = '/';

let starting: Promise<string> | undefined;

/**
 * Before a screen draws: the stored language, once per page load (the phone's usual answer is fetched meanwhile).
 * The first screen needs only its own words and fetches the rest when the phone is idle; every other screen waits
 * for all of them.
 */
export async function startLocale(pathname: string): Promise<void> {
	starting ??= (prefetchLocale(phoneLocale()), storedLocaleChoice().then((choice) => loadLocale(choice, 'first')));
	await starting;
	if (pathname !== FIRST_SCREEN) return loadRestOfMessages();
	whenIdle(() => void loadRestOfMessages().catch(() => undefined));
}

function whenIdle(run: () => void): void {
	const idle = () => ('requestIdleCallback' in globalThis ? requestIdleCallback(run, { timeout: 3000 }) : setTimeout(run, 500));
	if (typeof document === 'undefined' || document.readyState === 'complete') idle();
	else addEventListener('load', idle, { once: true });
}

/** Stores the choice; the caller reloads so every screen is drawn in it. */
export async function chooseLocale(choice: string): Promise<void> {
	await setSetting(LOCALE_KEY, choice);
}
