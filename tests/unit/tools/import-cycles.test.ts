// The import check of `npm run check`: the graph reads our import forms (relative, $lib, .svelte scripts and markup,
// type-only, re-exports, dynamic import) and the cycle finder names each tangle once, with a cycle through it.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { findCycles } from '../../../tools/imports/cycles';
import { buildImportGraph } from '../../../tools/imports/graph';
import { importSpecifiers } from '../../../tools/imports/specifiers';

const graphOf = (edges: Record<string, string[]>) => new Map(Object.entries(edges).map(([k, v]) => [k, new Set(v)]));

describe('findCycles', () => {
	it('finds none in a tree and one per tangle otherwise, with a shortest cycle through it', () => {
		expect(findCycles(graphOf({ a: ['b', 'c'], b: ['c'], c: [] }))).toEqual([]);
		const cycles = findCycles(graphOf({ a: ['b'], b: ['c', 'a'], c: ['a'], d: ['e'], e: ['d'], f: ['f'] }));
		expect(cycles).toEqual([
			{ files: ['a', 'b', 'c'], path: ['a', 'b', 'a'] },
			{ files: ['d', 'e'], path: ['d', 'e', 'd'] },
			{ files: ['f'], path: ['f', 'f'] }
		]);
	});

	it('walks a chain of 20,000 files without overflowing the stack', () => {
		const edges: Record<string, string[]> = {};
		for (let i = 0; i < 20_000; i++) edges[`f${i}`] = i < 19_999 ? [`f${i + 1}`] : ['f0'];
		const [cycle] = findCycles(graphOf(edges));
		expect(cycle?.files).toHaveLength(20_000);
	});
});

describe('importSpecifiers', () => {
	it('reads static, type-only, re-export, side-effect and dynamic imports, not strings or comments', () => {
		const code = `import a from './a';\nimport type { B } from './b';\nexport * from './c';\nimport './d';\nconst e = () => import('./e');\ntype F = import('./f').F;\n// import x from './not-me';\nconst s = "import y from './nor-me'";`;
		expect(importSpecifiers('x.ts', code)).toEqual(['./a', './b', './c', './d', './e', './f']);
	});

	it('reads every <script> block of a Svelte file and import() in its markup', () => {
		const svelte = `<script module>import { a } from './a';</script>\n<script lang="ts">import B from './B.svelte';</script>\n{#await import('./lazy.svelte') then L}<L.default />{/await}`;
		expect(importSpecifiers('x.svelte', svelte)).toEqual(['./a', './B.svelte', './lazy.svelte']);
	});
});

describe('buildImportGraph', () => {
	let root = '';
	afterEach(() => rmSync(root, { recursive: true, force: true }));

	function project(files: Record<string, string>): string {
		root = mkdtempSync(path.join(tmpdir(), 'imports-'));
		for (const [name, text] of Object.entries(files)) {
			mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
			writeFileSync(path.join(root, name), text);
		}
		return root;
	}

	it('resolves $lib, .js for .ts, x.svelte.ts, folders with index.ts and .svelte files, and catches the cycle they close', () => {
		const dir = project({
			'src/lib/a.ts': `import { b } from '$lib/b.js';`,
			'src/lib/b.ts': `import { s } from './state.svelte';\nexport const b = 1;`,
			'src/lib/state.svelte.ts': `import { c } from './c';`,
			'src/lib/c/index.ts': `import View from '../View.svelte';`,
			'src/lib/View.svelte': `<script lang="ts">import { a } from '$lib/a';\nimport { page } from '$app/state';</script>`,
			'src/routes/+page.ts': `import type { PageLoad } from './$types';\nimport pkg from 'idb';`
		});
		const graph = buildImportGraph(dir, ['src']);
		expect(graph.unresolved).toEqual([]);
		expect([...(graph.edges.get('src/lib/c/index.ts') ?? [])]).toEqual(['src/lib/View.svelte']);
		expect(graph.edges.get('src/routes/+page.ts')?.size).toBe(0);
		const [cycle] = findCycles(graph.edges);
		expect(cycle?.files).toEqual(['src/lib/View.svelte', 'src/lib/a.ts', 'src/lib/b.ts', 'src/lib/c/index.ts', 'src/lib/state.svelte.ts']);
	});

	it('reports an import of ours that resolves to no file instead of dropping it', () => {
		const dir = project({ 'src/lib/a.ts': `import { gone } from './gone';` });
		expect(buildImportGraph(dir, ['src']).unresolved).toEqual(['src/lib/a.ts: ./gone']);
	});
});
