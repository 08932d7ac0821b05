import { expect, test } from '@playwright/test';
import { LORA_PNG, seedResult } from './support/app';

// The converted screens drawn in another language: the phone's (Playwright's `locale` sets navigator.languages)
// and one chosen in Settings → Language (stored, the app reloads).

test.describe('a German phone', () => {
	test.use({ locale: 'de-DE' });

	test('gets the Library, its cards and the History in German, dates in German', async ({ page }) => {
		await page.goto('/');
		await expect(page.locator('html')).toHaveAttribute('lang', 'de');
		await expect(page.getByRole('heading', { name: 'Bibliothek', level: 1 })).toBeVisible();
		await expect(page.getByText('Noch keine Workflows')).toBeVisible();
		await expect(page.getByRole('button', { name: 'Datei importieren' })).toBeVisible();
		await page.getByTestId('import-input').setInputFiles(LORA_PNG);
		await expect(page.getByRole('status').filter({ hasText: '„lora_multiple“ importiert.' })).toBeVisible({ timeout: 15_000 });
		await page.getByRole('button', { name: 'Weitere Aktionen für lora_multiple' }).click();
		await expect(page.getByRole('button', { name: 'Umbenennen' })).toBeVisible();
		// The card's date is formatted in German: "5. Dez. 2026".
		const month = new Intl.DateTimeFormat('de', { month: 'short' }).format(Date.now());
		await expect(page.getByTestId('workflow-card')).toContainText(month);

		await page.goto('/history');
		await expect(page.getByText('Noch keine Ergebnisse')).toBeVisible();
		await seedResult(page, 'Leuchtturm');
		await page.reload();
		await page.getByTestId('history-item').click();
		await expect(page.getByRole('dialog').getByRole('button', { name: 'Diese Einstellungen übernehmen' })).toBeVisible();
	});
});

test.describe('a Russian phone', () => {
	test.use({ locale: 'ru-RU' });

	test('gets the Library in Russian', async ({ page }) => {
		await page.goto('/');
		await expect(page.getByRole('heading', { name: 'Библиотека', level: 1 })).toBeVisible();
		await expect(page.getByText('Воркфлоу пока нет')).toBeVisible();
	});
});

test('a language chosen in Settings redraws the Library in it after the reload', async ({ page }) => {
	await page.goto('/settings');
	await page.getByRole('region', { name: 'Language' }).getByRole('combobox').selectOption('ja');
	await expect(page.locator('html')).toHaveAttribute('lang', 'ja', { timeout: 15_000 });
	await page.goto('/');
	await expect(page.getByRole('heading', { name: 'ライブラリ', level: 1 })).toBeVisible();
	await expect(page.getByRole('button', { name: 'ファイルを読み込む' })).toBeVisible();
});
