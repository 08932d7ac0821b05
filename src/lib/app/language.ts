// The language setting (IndexedDB settings, key "locale": a locale or "system" = follow the phone) and loading it
// at start. Changing it stores the choice and reloads the app: every screen is drawn again in the new language, and
// what they show (workflows, runs, results, outbox) is kept in IndexedDB, so nothing is lost.
import { getSetting, setSetting } from '$lib/storage';
import { FOLLOW_PHONE, LOCALES, loadLocale, loaders, phoneLocale } from '$lib/i18n';

const LOCALE_KEY = 'locale';

/** The stored choice: a locale, or FOLLOW_PHONE. */
export async function storedLocaleChoice(): Promise<string> {
	const stored = await getSetting<unknown>(LOCALE_KEY).catch(() => undefined);
	return typeof stored === 'string' && (stored === FOLLOW_PHONE || LOCALES.includes(stored)) ? stored : FOLLOW_PHONE;
}

/** Loads the stored choice; starts fetching the phone's locale meanwhile, the usual answer. */
export async function startLocale(): Promise<string> {
	const guess = loaders.get(phoneLocale());
	void guess?.();
	return loadLocale(await storedLocaleChoice());
}

/** Stores the choice; the caller reloads so every screen is drawn in it. */
export async function chooseLocale(choice: string): Promise<void> {
	await setSetting(LOCALE_KEY, choice);
}
