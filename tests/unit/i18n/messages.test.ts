// Every language has every message with the same placeholders; every message is used; descriptions for
// translators name real keys. A translation that misses a key, or renames {name}, fails here.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const DIR = path.resolve('messages');
const settings = JSON.parse(readFileSync(path.resolve('project.inlang/settings.json'), 'utf8')) as { baseLocale: string; locales: string[] };
type Catalog = Record<string, unknown>;

function catalog(locale: string): Catalog {
	const { $schema: _schema, ...messages } = JSON.parse(readFileSync(path.join(DIR, `${locale}.json`), 'utf8')) as Catalog;
	return messages;
}

/** The placeholders a message uses: {name} in a plain string, or the inputs a plural/select message declares. */
export function placeholders(message: unknown): string[] {
	const text = JSON.stringify(message);
	const names = new Set<string>();
	for (const match of text.matchAll(/\{(\w+)\}/g)) names.add(match[1]);
	for (const match of text.matchAll(/"input (\w+)"/g)) names.add(match[1]);
	return [...names].sort();
}

const base = catalog(settings.baseLocale);

function sourceFiles(dir: string): string[] {
	return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
		const full = path.join(dir, entry.name);
		if (entry.isDirectory()) return entry.name === 'paraglide' ? [] : sourceFiles(full);
		return /\.(ts|svelte)$/.test(entry.name) ? [full] : [];
	});
}

describe('message catalogs', () => {
	it('has a messages file for every locale of the project, and no other', () => {
		const files = readdirSync(DIR).filter((f) => f.endsWith('.json') && f !== 'descriptions.json').map((f) => f.replace(/\.json$/, ''));
		expect(files.sort()).toEqual([...settings.locales].sort());
	});

	it('every base message has text', () => {
		for (const [key, message] of Object.entries(base)) expect(typeof message === 'string' ? message.trim() : message, key).toBeTruthy();
	});

	for (const locale of settings.locales.filter((l) => l !== settings.baseLocale)) {
		it(`${locale} has exactly the base keys, with the same placeholders`, () => {
			const translated = catalog(locale);
			expect(Object.keys(translated).filter((k) => !(k in base)), `${locale}: keys not in ${settings.baseLocale}`).toEqual([]);
			expect(Object.keys(base).filter((k) => !(k in translated)), `${locale}: missing keys`).toEqual([]);
			for (const key of Object.keys(base)) expect(placeholders(translated[key]), `${locale}.${key} placeholders`).toEqual(placeholders(base[key]));
		});
	}

	it('descriptions describe existing keys', () => {
		const descriptions = JSON.parse(readFileSync(path.join(DIR, 'descriptions.json'), 'utf8')) as Catalog;
		expect(Object.keys(descriptions).filter((k) => !(k in base))).toEqual([]);
	});

	it('every message is used by the app, and every message the app uses exists', () => {
		const used = new Set<string>();
		for (const file of sourceFiles(path.resolve('src'))) {
			const source = readFileSync(file, 'utf8');
			if (!/import \{[^}]*\bm\b[^}]*\} from '\$lib\/i18n'/.test(source)) continue;
			for (const match of source.matchAll(/\bm\.(\w+)\b/g)) used.add(match[1]);
		}
		expect([...used].filter((k) => !(k in base)), 'used but not in messages').toEqual([]);
		expect(Object.keys(base).filter((k) => !used.has(k)), 'in messages but never used').toEqual([]);
	});

	it('the placeholder reader sees plain and declared inputs', () => {
		expect(placeholders('Hello {name}, {count}')).toEqual(['count', 'name']);
		expect(placeholders([{ declarations: ['input count', 'local n = count: plural'], selectors: ['n'], match: { 'n=one': 'one', 'n=*': '{count}' } }])).toEqual(['count']);
	});
});
