// The app's messages in the active language. Each language is compiled in two parts (tools/i18n/catalog.ts): the
// words the first screen can show ("first") and all the others ("rest"); only the active language is ever loaded,
// and on the first screen only its first part, with the rest fetched when the phone is idle. Every other screen waits
// for both (src/routes/+layout.ts). `m` holds what is loaded: read it at render time, never into a module-level
// constant. The stored choice and the start-up live in app/language.ts; this module depends on nothing of ours.
import type * as First from '$lib/paraglide/first/messages/_index.js';
import type * as Rest from '$lib/paraglide/rest/messages/_index.js';
import { matchLocale } from './match';

export type Messages = typeof First & typeof Rest;
type Loader<T> = () => Promise<T>;

function byLocale<T>(modules: Record<string, Loader<T>>): Map<string, Loader<T>> {
	return new Map(Object.entries(modules).map(([file, load]) => [file.replace(/^.*\/(.+)\.js$/, '$1'), load]));
}

const firstParts = byLocale(import.meta.glob<typeof First>(['../paraglide/first/messages/*.js', '!../paraglide/first/messages/_index.js']));
const restParts = byLocale(import.meta.glob<typeof Rest>(['../paraglide/rest/messages/*.js', '!../paraglide/rest/messages/_index.js']));

export const BASE_LOCALE = 'en';
/** The locales with a translation, base first. */
export const LOCALES: readonly string[] = [BASE_LOCALE, ...[...firstParts.keys()].filter((l) => l !== BASE_LOCALE).sort()];
/** Setting value: follow the phone's languages. */
export const FOLLOW_PHONE = 'system';
/** Right-to-left scripts: none shipped yet, but `dir` follows the locale so an Arabic file just works. */
const RTL = new Set(['ar', 'fa', 'he', 'ur']);

export const m = {} as Messages;
export let locale: string = BASE_LOCALE;
let rest: { locale: string; loaded: Promise<void> } | undefined;

/** The phone's preferred locale among ours. */
export function phoneLocale(languages: readonly string[] = globalThis.navigator?.languages ?? []): string {
	return matchLocale(languages, LOCALES, BASE_LOCALE);
}

/** Starts fetching a locale's first part without making it active (the usual answer, fetched while settings load). */
export function prefetchLocale(code: string): void {
	void firstParts.get(code)?.();
}

/**
 * Makes `wanted` (a locale or FOLLOW_PHONE) the active language; unknown ones fall back to the phone's.
 * `parts: 'first'` loads only the first screen's words (call loadRestOfMessages before any other screen draws).
 */
export async function loadLocale(wanted: string = FOLLOW_PHONE, parts: 'first' | 'all' = 'all'): Promise<string> {
	const chosen = LOCALES.includes(wanted) ? wanted : phoneLocale();
	const load = firstParts.get(chosen);
	if (!load) throw new Error(`no messages for ${chosen}`);
	for (const key of Object.keys(m)) delete (m as Record<string, unknown>)[key];
	Object.assign(m, await load());
	locale = chosen;
	rest = undefined;
	if (typeof document !== 'undefined') {
		document.documentElement.lang = chosen;
		document.documentElement.dir = RTL.has(chosen.split('-')[0]) ? 'rtl' : 'ltr';
	}
	if (parts === 'all') await loadRestOfMessages();
	return chosen;
}

/** Adds the active language's other words to `m` (once; later calls wait for the same load). */
export function loadRestOfMessages(): Promise<void> {
	if (rest?.locale !== locale) {
		const load = restParts.get(locale);
		const active = locale;
		rest = { locale, loaded: load ? load().then((words) => void (locale === active && Object.assign(m, words))) : Promise.resolve() };
		rest.loaded.catch(() => (rest = undefined));
	}
	return rest.loaded;
}

/** A language's own name ("Deutsch", "日本語"), from Intl. */
export function localeName(code: string): string {
	try {
		const name = new Intl.DisplayNames([code], { type: 'language' }).of(code) ?? code;
		return name.charAt(0).toLocaleUpperCase(code) + name.slice(1);
	} catch {
		return code;
	}
}
