import { describe, expect, it } from 'vitest';
import { matchLocale } from '$lib/i18n/match';
import { LOCALES, loadLocale, m, localeName } from '$lib/i18n';
import { formatBytes, formatNumber, formatDuration } from '$lib/i18n/format';
import { rich } from '$lib/i18n/rich';

const ALL = ['en', 'zh-CN', 'zh-TW', 'ja', 'ko', 'es', 'de', 'fr', 'ru', 'pt-BR'];

describe('matchLocale', () => {
	it('takes the first preferred language we have', () => {
		expect(matchLocale(['fr-CA', 'de'], ALL, 'en')).toBe('fr');
		expect(matchLocale(['nl', 'de-AT'], ALL, 'en')).toBe('de');
		expect(matchLocale(['pt-PT'], ALL, 'en')).toBe('pt-BR');
		expect(matchLocale(['pt-br'], ALL, 'en')).toBe('pt-BR');
	});
	it('maps Chinese by script and region', () => {
		expect(matchLocale(['zh-Hant-HK'], ALL, 'en')).toBe('zh-TW');
		expect(matchLocale(['zh-HK'], ALL, 'en')).toBe('zh-TW');
		expect(matchLocale(['zh-Hans'], ALL, 'en')).toBe('zh-CN');
		expect(matchLocale(['zh'], ALL, 'en')).toBe('zh-CN');
	});
	it('falls back to English', () => {
		expect(matchLocale(['nl', 'sv'], ALL, 'en')).toBe('en');
		expect(matchLocale([], ALL, 'en')).toBe('en');
	});
});

describe('loadLocale', () => {
	it('swaps the messages to the chosen locale and back', async () => {
		expect(LOCALES[0]).toBe('en');
		expect(LOCALES).toContain('de');
		await loadLocale('de');
		expect(m.nav_history()).toBe('Verlauf');
		expect(formatNumber(1234.5)).toBe('1.234,5');
		expect(formatBytes(1536)).toBe('1,5 KB');
		expect(m.alert_runs_done({ count: 1 })).toBe('1 Lauf fertig');
		expect(m.alert_runs_done({ count: 3 })).toBe('3 Läufe fertig');
		await loadLocale('xx');
		await loadLocale('en');
		expect(m.nav_history()).toBe('History');
	});
	it('loads every language the app offers, with plural forms chosen by the language (Russian has three)', async () => {
		expect([...LOCALES].sort()).toEqual(['de', 'en', 'es', 'fr', 'ja', 'ko', 'pt-BR', 'ru', 'zh-CN', 'zh-TW']);
		for (const locale of LOCALES) {
			await loadLocale(locale);
			expect(m.nav_history(), locale).not.toBe(locale === 'en' ? '' : 'History');
			expect(m.alert_images({ count: 2 }), locale).toContain('2');
		}
		await loadLocale('ru');
		expect([1, 3, 5, 21].map((count) => m.alert_images({ count }))).toEqual(['1 изображение', '3 изображения', '5 изображений', '21 изображение']);
		await loadLocale('ja');
		expect(m.alert_runs_done({ count: 4 })).toBe('4 件の実行が完了');
		expect(localeName('zh-TW')).toBe('中文（台灣）');
		await loadLocale('en');
	});
	it('formats in English as before', () => {
		expect(formatBytes(0)).toBe('0 B');
		expect(formatBytes(1536)).toBe('1.5 KB');
		expect(formatBytes(5 * 1024 ** 3)).toBe('5.0 GB');
		expect(formatDuration(4200)).toBe('4.2 sec');
		expect(localeName('de')).toBe('Deutsch');
	});
});

describe('rich', () => {
	it('escapes the inputs, keeps the message markup', () => {
		expect(rich(m.setup_cors, { flag: '<img src=x onerror=alert(1)>' })).toBe('Whatever the setup, ComfyUI must allow this app with <code>&#60;img src=x onerror=alert(1)&#62;</code>.');
		expect(m.alert_runs_done({ count: 1 })).toBe('1 run done');
	});
});
