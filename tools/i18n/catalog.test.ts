import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadLocale, loadRestOfMessages, m } from '$lib/i18n';
import { buildImportGraph } from '../imports/graph';
import { FIRST_SCREEN_ENTRIES, reachable, splitCatalog, usedKeys } from './catalog';

const root = path.resolve('.');
const english = JSON.parse(readFileSync(path.join(root, 'messages/en.json'), 'utf8')) as Record<string, unknown>;

describe('splitting the catalog', () => {
	it('follows static and dynamic imports from the entries, cycles included', () => {
		const edges = new Map([
			['a', new Set(['b'])],
			['b', new Set(['c', 'a'])],
			['c', new Set<string>()],
			['d', new Set(['a'])]
		]);
		expect([...reachable(edges, ['a'])].sort()).toEqual(['a', 'b', 'c']);
	});

	it('reads m.key uses of known keys only', () => {
		const used = usedKeys(['{m.nav_history()} {m.nav_models()}', 'const x = cm.nav_settings; m.not_a_key()'], new Set(['nav_history', 'nav_models', 'nav_settings']));
		expect([...used].sort()).toEqual(['nav_history', 'nav_models']);
	});

	it('puts every key in exactly one part and keeps $schema on both', () => {
		const parts = splitCatalog({ $schema: 's', a: 'A', b: 'B', c: [{ match: {} }] }, new Set(['a']));
		expect(parts.first).toEqual({ $schema: 's', a: 'A' });
		expect(parts.rest).toEqual({ $schema: 's', b: 'B', c: [{ match: {} }] });
	});

	it('the compiled first part has every word the first screen reads, and the rest the others', async () => {
		const first = await import('$lib/paraglide/first/messages/en.js');
		const rest = await import('$lib/paraglide/rest/messages/en.js');
		const files = reachable(buildImportGraph(root, ['src']).edges, FIRST_SCREEN_ENTRIES);
		expect(files.size).toBeGreaterThan(50);
		const needed = usedKeys([...files].map((f) => readFileSync(path.join(root, f), 'utf8')), new Set(Object.keys(english)));
		expect([...needed].filter((key) => !(key in first)), 'first-screen words missing from the first part').toEqual([]);
		const all = Object.keys(english).filter((k) => k !== '$schema');
		expect(Object.keys(first).length + Object.keys(rest).length).toBe(all.length);
		expect(all.filter((key) => !(key in first) && !(key in rest))).toEqual([]);
		expect(Object.keys(rest).length).toBeGreaterThan(Object.keys(first).length / 2);
	});

	it('sees every use: files that import m read it only as m.key (no m[key], no passing m around)', () => {
		const files = [...buildImportGraph(root, ['src']).edges.keys()].filter((f) => !f.startsWith('src/lib/paraglide/'));
		const offenders: string[] = [];
		for (const file of files) {
			const text = readFileSync(path.join(root, file), 'utf8');
			if (!/import \{[^}]*\bm\b[^}]*\} from '\$lib\/i18n'/.test(text)) continue;
			const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '').replace(/import \{[^}]*\} from '\$lib\/i18n';?/g, '');
			for (const match of code.matchAll(/(?<![\w.$])m\b(?!\.\w)/g)) offenders.push(`${file}: …${code.slice(Math.max(0, match.index - 20), match.index + 20)}…`);
		}
		expect(offenders).toEqual([]);
	});
});

describe('loading a language in two parts', () => {
	afterEach(() => loadLocale('en'));

	it('the first part alone has the first screen words; the rest arrives on demand, once', async () => {
		const restKeys = Object.keys(await import('$lib/paraglide/rest/messages/de.js'));
		await loadLocale('de', 'first');
		expect(m.nav_history()).toBe('Verlauf');
		expect(restKeys.filter((key) => key in m)).toEqual([]);
		const loading = loadRestOfMessages();
		expect(loadRestOfMessages()).toBe(loading);
		await loading;
		expect(Object.keys(m).length).toBe(Object.keys(english).length - 1);
	});

	it("switching language drops the other language's words", async () => {
		await loadLocale('de');
		await loadLocale('ja', 'first');
		const restKeys = Object.keys(await import('$lib/paraglide/rest/messages/en.js'));
		expect(restKeys.filter((key) => key in m)).toEqual([]);
	});
});
