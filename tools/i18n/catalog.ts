// Compiles the app's messages (messages/<locale>.json, the one place translators edit) into two parts per language,
// so a phone's first screen waits for as few words as it shows:
//  - "first": every message the first screen can show: the keys read (`m.key`) by any file the first screen's
//    entries import, statically or dynamically (the root layout and the Library at "/");
//  - "rest": all the others, loaded before any other screen draws (src/lib/i18n, src/routes/+layout.ts).
// Which part a key goes in follows the code: use a message on the Library and it moves to "first" at the next build.
// Each part is an inlang project written under .svelte-kit/i18n and compiled by Paraglide into
// src/lib/paraglide/<part>/messages/<locale>.js. Run by the Vite plugin below and by `npm run i18n`.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { compile } from '@inlang/paraglide-js';
import type { Plugin } from 'vite';
import { buildImportGraph } from '../imports/graph.js';

/** The files the first screen starts from; everything they import counts as the first screen. */
export const FIRST_SCREEN_ENTRIES = ['src/routes/+layout.svelte', 'src/routes/+layout.ts', 'src/routes/+page.svelte'];
export const PARTS = ['first', 'rest'] as const;
export type Part = (typeof PARTS)[number];

type Catalog = Record<string, unknown>;

/** The files reachable from `entries` through `edges` (entries included). */
export function reachable(edges: ReadonlyMap<string, ReadonlySet<string>>, entries: readonly string[]): Set<string> {
	const seen = new Set<string>();
	const stack = [...entries];
	while (stack.length > 0) {
		const file = stack.pop() as string;
		if (seen.has(file)) continue;
		seen.add(file);
		for (const next of edges.get(file) ?? []) stack.push(next);
	}
	return seen;
}

/** The message keys (of `known`) that these sources read as `m.key`. */
export function usedKeys(sources: Iterable<string>, known: ReadonlySet<string>): Set<string> {
	const used = new Set<string>();
	for (const text of sources) for (const match of text.matchAll(/\bm\.([A-Za-z0-9_]+)/g)) if (known.has(match[1])) used.add(match[1]);
	return used;
}

/** One locale's catalog cut in two; `$schema` stays on both. */
export function splitCatalog(catalog: Catalog, first: ReadonlySet<string>): Record<Part, Catalog> {
	const { $schema, ...messages } = catalog;
	const head = $schema === undefined ? {} : { $schema };
	const parts: Record<Part, Catalog> = { first: { ...head }, rest: { ...head } };
	for (const [key, message] of Object.entries(messages)) parts[first.has(key) ? 'first' : 'rest'][key] = message;
	return parts;
}

interface ProjectSettings {
	baseLocale: string;
	locales: string[];
	'plugin.inlang.messageFormat': { pathPattern: string };
	[key: string]: unknown;
}

/** Splits and compiles; returns how many keys each part has. */
export async function buildCatalog(root: string): Promise<Record<Part, number>> {
	const settings = JSON.parse(readFileSync(path.join(root, 'project.inlang/settings.json'), 'utf8')) as ProjectSettings;
	const catalogs = new Map(
		settings.locales.map((locale) => [locale, JSON.parse(readFileSync(path.join(root, 'messages', `${locale}.json`), 'utf8')) as Catalog])
	);
	const known = new Set(Object.keys(catalogs.get(settings.baseLocale) ?? {}).filter((k) => k !== '$schema'));
	const graph = buildImportGraph(root, ['src']);
	const files = reachable(graph.edges, FIRST_SCREEN_ENTRIES);
	const first = usedKeys([...files].map((file) => readFileSync(path.join(root, file), 'utf8')), known);

	const work = path.join(root, '.svelte-kit/i18n');
	rmSync(work, { recursive: true, force: true });
	for (const part of PARTS) {
		const dir = path.join(work, part);
		mkdirSync(path.join(dir, 'project.inlang'), { recursive: true });
		for (const [locale, catalog] of catalogs) writeFileSync(path.join(dir, `${locale}.json`), JSON.stringify(splitCatalog(catalog, first)[part], null, '\t'));
		// The plugin module path is the project's own, made absolute; messages are found next to the project folder.
		const modules = ((settings.modules as string[] | undefined) ?? []).map((m) => path.resolve(root, m));
		const partSettings = { ...settings, modules, 'plugin.inlang.messageFormat': { pathPattern: './{locale}.json' } };
		writeFileSync(path.join(dir, 'project.inlang/settings.json'), JSON.stringify(partSettings, null, '\t'));
		await compile({
			project: path.join(dir, 'project.inlang'),
			outdir: path.join(root, 'src/lib/paraglide', part),
			outputStructure: 'locale-modules',
			emitReadme: false,
			emitGitIgnore: false,
			emitPrettierIgnore: false
		});
	}
	return { first: first.size, rest: known.size - first.size };
}

/** Vite: compiles before the build (and the dev server) reads any module; recompiles in dev when a catalog changes. */
export function messageCatalog(root = process.cwd()): Plugin {
	return {
		name: 'comfy-pocket:messages',
		async buildStart() {
			await buildCatalog(root);
		},
		configureServer(server) {
			server.watcher.add(path.join(root, 'messages'));
			server.watcher.on('change', (file) => {
				if (file.startsWith(path.join(root, 'messages')) && file.endsWith('.json')) void buildCatalog(root);
			});
		}
	};
}
