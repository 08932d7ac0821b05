import { startLocale } from '$lib/app/language';

// Comfy Pocket is a client-side app: no server rendering. The adapter writes one SPA shell (index.html)
// that serves every route. (Prerendering is off on purpose: it would start, and leak, a workerd per build.)
export const ssr = false;
export const prerender = false;

// The active language's messages (and only those) are in before a screen renders: on the first screen only the
// words it shows, elsewhere all of them (app/language.ts). Reading the path makes this run again on navigation.
export async function load({ url }: { url: URL }): Promise<void> {
	await startLocale(url.pathname);
}
