// The import graph of our own source: every .ts/.js/.mjs/.svelte file under the given folders, with an edge for each
// import that resolves to one of our files. Resolution follows what Vite and `moduleResolution: bundler` do here:
// relative paths and `$lib/…` (→ src/lib), with or without an extension (`.js` may stand for `.ts`), `.svelte`,
// `x.svelte` for `x.svelte.ts`, and `dir` for `dir/index.ts`. Packages and SvelteKit's `$app/…`, `$env/…` are not
// ours and are left out, as are the route types SvelteKit generates (`./$types`); a relative or `$lib` import that finds no file is reported, never silently dropped.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { importSpecifiers } from './specifiers.js';

export interface ImportGraph {
	/** File (path relative to the project root, `/`-separated) → the files it imports. */
	edges: Map<string, Set<string>>;
	/** Imports of ours that resolve to no file, as `file: specifier`. */
	unresolved: string[];
}

const SOURCE = /\.(ts|js|mjs|svelte)$/;
const SKIP_DIRS = new Set(['node_modules', '.svelte-kit', 'build', 'dist', '.wrangler']);
const EXTENSIONS = ['.ts', '.js', '.mjs', '.svelte', '.svelte.ts', '.svelte.js', '/index.ts', '/index.js'];

/** Builds the graph of the source files under `folders` (relative to `root`); `$lib` is `root/src/lib`. */
export function buildImportGraph(root: string, folders: readonly string[]): ImportGraph {
	const files = folders.flatMap((folder) => sourceFiles(path.join(root, folder)));
	const edges = new Map<string, Set<string>>();
	const unresolved: string[] = [];
	const key = (file: string) => path.relative(root, file).split(path.sep).join('/');
	for (const file of files) {
		const targets = new Set<string>();
		for (const spec of importSpecifiers(file, readFileSync(file, 'utf8'))) {
			const base = ownModuleBase(root, file, spec);
			if (base === undefined) continue;
			const target = resolveFile(base);
			if (target) targets.add(key(target));
			else unresolved.push(`${key(file)}: ${spec}`);
		}
		edges.set(key(file), targets);
	}
	// Edges to files outside the folders (tests/, say) cannot close a cycle among them: keep only files we walked.
	for (const targets of edges.values()) for (const t of targets) if (!edges.has(t)) targets.delete(t);
	return { edges, unresolved };
}

function sourceFiles(dir: string): string[] {
	if (!existsSync(dir)) throw new Error(`import check: no folder ${dir}`);
	return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
		const full = path.join(dir, entry.name);
		if (entry.isDirectory()) return SKIP_DIRS.has(entry.name) ? [] : sourceFiles(full);
		return SOURCE.test(entry.name) && !entry.name.endsWith('.d.ts') ? [full] : [];
	});
}

/** The absolute path an import of ours points at (before extensions), or undefined for packages and `$app`. */
function ownModuleBase(root: string, from: string, specifier: string): string | undefined {
	const spec = specifier.replace(/\?.*$/, ''); // Vite's `?url`, `?raw`
	if (spec.endsWith('/$types')) return undefined; // SvelteKit's generated route types
	if (spec.startsWith('./') || spec.startsWith('../')) return path.resolve(path.dirname(from), spec);
	if (spec === '$lib' || spec.startsWith('$lib/')) return path.join(root, 'src/lib', spec.slice('$lib'.length));
	return undefined;
}

function resolveFile(base: string): string | undefined {
	const isFile = (p: string) => existsSync(p) && statSync(p).isFile();
	if (isFile(base)) return base;
	const stem = base.replace(/\.(js|mjs)$/, '');
	for (const ext of EXTENSIONS) if (isFile(stem + ext)) return stem + ext;
	for (const ext of EXTENSIONS) if (isFile(base + ext)) return base + ext;
	return undefined;
}
