// Initial JS + CSS of the first screen (the Library at "/"), gzipped, from the production build in
// .svelte-kit/cloudflare (run.ts builds it first). Budget: 80 KB.
// What the browser loads for "/": the scripts and styles index.html links (kit's start and app entries, the root
// layout) plus the "/" page node and the chunks and styles Vite preloads with it (its `__vite__mapDeps` entry).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

const BUILD = path.resolve('.svelte-kit/cloudflare');
const BUDGET_KB = 80;

function read(file: string): string {
	return readFileSync(path.join(BUILD, file), 'utf8');
}

/** Paths (relative to the build root) that index.html preloads or links as stylesheets. */
export function linkedAssets(html: string): string[] {
	const hrefs = [...html.matchAll(/<link href="\/([^"]+)" rel="(?:modulepreload|stylesheet)"/g)].map((m) => m[1]);
	return [...new Set(hrefs)];
}

/** The files Vite preloads for the page node of `route`, read from the app entry. */
export function routeAssets(appSource: string, appPath: string, route: string): string[] {
	const table = /m\.f=\[([^\]]*)\]/.exec(appSource)?.[1];
	if (!table) throw new Error('the app entry has no __vite__mapDeps table (Vite output format changed?)');
	const deps = [...table.matchAll(/"([^"]+)"/g)].map((m) => m[1]);
	const routeEntry = new RegExp(`"${route.replace(/[/]/g, '\\/')}":\\[([-\\d,]+)\\]`).exec(appSource)?.[1];
	if (!routeEntry) throw new Error(`route ${route} not found in the app entry`);
	const dir = path.posix.dirname(appPath);
	const files: string[] = [];
	for (const node of routeEntry.split(',').map(Number).filter((n) => n >= 0)) {
		const loader = new RegExp(`import\\(\`\\.\\./nodes/${node}\\.[^\`]+\\.js\`\\),__vite__mapDeps\\(\\[([\\d,]*)\\]\\)`).exec(appSource);
		if (!loader) throw new Error(`node ${node} loader not found in the app entry`);
		for (const index of loader[1].split(',').filter(Boolean).map(Number)) files.push(path.posix.normalize(`${dir}/${deps[index]}`));
	}
	return files;
}

const MANIFEST = path.resolve('.svelte-kit/output/client/.vite/manifest.json');

/** Each locale's message chunks (src/lib/paraglide/<part>/messages/<locale>.js, tools/i18n/catalog.ts), from Vite's client manifest. */
export function localeChunks(manifest: Record<string, { file: string }>): Map<string, { first?: string; rest?: string }> {
	const chunks = new Map<string, { first?: string; rest?: string }>();
	for (const [source, entry] of Object.entries(manifest)) {
		const match = /paraglide\/(first|rest)\/messages\/([\w-]+)\.js$/.exec(source);
		if (!match || match[2] === '_index') continue;
		const part = match[1] as 'first' | 'rest';
		chunks.set(match[2], { ...chunks.get(match[2]), [part]: entry.file });
	}
	return chunks;
}

export const needsBuild = true;

export async function run(): Promise<string[]> {
	if (!existsSync(path.join(BUILD, 'index.html'))) throw new Error('no build found in .svelte-kit/cloudflare');
	const html = read('index.html');
	const linked = linkedAssets(html);
	const app = linked.find((f) => /\/entry\/app\.[^/]+\.js$/.test(f));
	if (!app) throw new Error('index.html does not preload the app entry');
	// The first screen also waits for the active language's first-screen words (src/routes/+layout.ts loads only
	// those there): English is counted; the others are listed to show what a phone in that language loads instead.
	const locales = existsSync(MANIFEST) ? localeChunks(JSON.parse(readFileSync(MANIFEST, 'utf8'))) : new Map<string, { first?: string; rest?: string }>();
	const english = locales.get('en')?.first;
	if (!english) throw new Error('no English first-screen message chunk in the client manifest');
	const files = [...new Set([...linked, ...routeAssets(read(app), app, '/'), english])];
	let js = 0;
	let css = 0;
	for (const file of files) {
		const size = gzipSync(readFileSync(path.join(BUILD, file))).length;
		if (file.endsWith('.css')) css += size;
		else js += size;
	}
	const kb = (n: number) => (n / 1024).toFixed(1);
	const total = js + css;
	const gz = (file: string) => gzipSync(readFileSync(path.join(BUILD, file))).length;
	const size = (file: string | undefined) => (file ? gz(file) : 0);
	const perLocale = [...locales].map(([locale, part]) => `${locale} ${kb(size(part.first))} + ${kb(size(part.rest))}`).join(', ');
	const heaviest = Math.max(...[...locales.values()].map((part) => size(part.first)));
	const worst = Math.max(total, total - size(english) + heaviest);
	return [
		`initial bundle: ${kb(total)} KB gz`,
		`  messages: the active language only; its first-screen words before the first paint (en counted), the rest when idle; KB gz per locale (first + rest): ${perLocale}`,
		`  heaviest language's first screen: ${kb(worst)} KB gz`,
		`  first screen "/": JS ${kb(js)} KB + CSS ${kb(css)} KB gz in ${files.length} files; budget ${BUDGET_KB} KB in every language: ${worst / 1024 <= BUDGET_KB ? 'within' : 'OVER'}`
	];
}
