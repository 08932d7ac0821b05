// The app's messages in the active language. Paraglide compiles messages/<locale>.json into one module per locale
// (src/lib/paraglide/messages/<locale>.js); only the active one is imported, before the first screen renders
// (src/routes/+layout.ts). `m` is a live binding: read it at render time, never into a module-level constant.
// The stored choice and the start-up live in app/language.ts; this module depends on nothing of ours.
import type * as Catalog from '$lib/paraglide/messages/_index.js';
import { matchLocale } from './match';

export type Messages = typeof Catalog;

const modules = import.meta.glob<Messages>(['../paraglide/messages/*.js', '!../paraglide/messages/_index.js']);
export const loaders = new Map(Object.entries(modules).map(([file, load]) => [file.replace(/^.*\/(.+)\.js$/, '$1'), load]));

export const BASE_LOCALE = 'en';
/** The locales with a translation, base first. */
export const LOCALES: readonly string[] = [BASE_LOCALE, ...[...loaders.keys()].filter((l) => l !== BASE_LOCALE).sort()];
/** Setting value: follow the phone's languages. */
export const FOLLOW_PHONE = 'system';
/** Right-to-left scripts: none shipped yet, but `dir` follows the locale so an Arabic file just works. */
const RTL = new Set(['ar', 'fa', 'he', 'ur']);

export let m: Messages = undefined as unknown as Messages;
export let locale: string = BASE_LOCALE;

/** The phone's preferred locale among ours. */
export function phoneLocale(languages: readonly string[] = globalThis.navigator?.languages ?? []): string {
	return matchLocale(languages, LOCALES, BASE_LOCALE);
}

/** Makes `wanted` (a locale or FOLLOW_PHONE) the active language; unknown ones fall back to the phone's. */
export async function loadLocale(wanted: string = FOLLOW_PHONE): Promise<string> {
	const chosen = LOCALES.includes(wanted) ? wanted : phoneLocale();
	const load = loaders.get(chosen) ?? loaders.get(BASE_LOCALE);
	if (!load) throw new Error(`no messages for ${chosen}`);
	m = await load();
	locale = chosen;
	if (typeof document !== 'undefined') {
		document.documentElement.lang = chosen;
		document.documentElement.dir = RTL.has(chosen.split('-')[0]) ? 'rtl' : 'ltr';
	}
	return chosen;
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
