import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { LORA_PNG, openLora, seedResult } from './support/app';

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

test.describe('a German phone in Settings', () => {
	test.use({ locale: 'de-DE' });

	test('gets Servers, Pools and the status pill in German', async ({ page }) => {
		await page.goto('/settings');
		await expect(page.getByTestId('status-pill')).toHaveText('Kein Server');
		await expect(page.getByRole('heading', { name: 'Server', exact: true })).toBeVisible();
		await expect(page.getByRole('heading', { name: 'LAN-Server hinzufügen' })).toBeVisible();
		await expect(page.getByLabel('ComfyUI-Adresse')).toBeVisible();
		await expect(page.getByRole('button', { name: 'Verbindung testen' })).toBeVisible();
		await expect(page.getByRole('heading', { name: 'Pools' })).toBeVisible();
		await expect(page.getByText('Füge oben einen zweiten Server hinzu, um daraus einen Pool zu machen.')).toBeVisible();
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

test('the Run screen in German: Generate, the batch buttons, the live status, the job list and the page title', async ({ page }) => {
	await openLora(page, 6);
	const runUrl = page.url();
	await page.goto('/settings');
	await page.getByRole('region', { name: 'Language' }).getByRole('combobox').selectOption('de');
	await expect(page.locator('html')).toHaveAttribute('lang', 'de', { timeout: 15_000 });
	await page.goto(runUrl);
	await expect(page.getByRole('heading', { name: 'lora_multiple' })).toBeVisible();
	await expect(page).toHaveTitle('lora_multiple · Ausführen · Comfy Pocket');
	await expect(page.getByRole('button', { name: 'Mehr Durchläufe' })).toBeVisible();
	await expect(page.getByRole('button', { name: 'Formular bearbeiten' })).toBeVisible();
	for (const select of await page.locator('select:has(option:text-matches("nicht auf diesem Server|not on this server"))').all()) {
		await select.selectOption({ index: 1 });
	}
	await page.getByRole('button', { name: 'Generieren' }).click();
	await expect(page.getByTestId('job-status')).toHaveText('Fertig', { timeout: 20_000 });
	await expect(page.getByRole('region', { name: 'Aufträge dieses Workflows' }).getByTestId('queue-item')).toContainText('Fertig');
	await expect(page.getByRole('button', { name: 'Beendete entfernen' })).toBeVisible();
	await expect(page.getByRole('progressbar', { name: 'Gesamtfortschritt' })).toHaveAttribute('aria-valuenow', '100');
	await expect(page.getByText(/^Server: verbunden/)).toBeVisible();
});

test.describe('the first screen in two parts', () => {
	// What the Library at "/" shows is compiled apart from the other screens' words (tools/i18n/catalog.ts).
	test.use({ locale: 'de-DE', serviceWorkers: 'block' });
	const manifest = JSON.parse(readFileSync('.svelte-kit/output/client/.vite/manifest.json', 'utf8')) as Record<string, { file: string }>;
	const chunk = (part: string) => `/${manifest[`src/lib/paraglide/${part}/messages/de.js`].file}`;

	test('the Library draws before the rest of the words arrive; other screens wait for them', async ({ page }) => {
		let release!: () => void;
		const held = new Promise<void>((resolve) => (release = resolve));
		const fetched: string[] = [];
		page.on('request', (request) => fetched.push(new URL(request.url()).pathname));
		await page.route(`**${chunk('rest')}`, async (route) => {
			await held;
			await route.continue();
		});
		await page.goto('/');
		await expect(page.getByRole('heading', { name: 'Bibliothek', level: 1 })).toBeVisible();
		await expect(page.getByText('Noch keine Workflows')).toBeVisible();
		expect(fetched).toContain(chunk('first'));
		release();
		await page.getByRole('link', { name: 'Einstellungen' }).click();
		await expect(page.getByRole('heading', { name: 'LAN-Server hinzufügen' })).toBeVisible();
		expect(fetched).toContain(chunk('rest'));
		// No other language's words are ever fetched.
		const others = Object.entries(manifest)
			.filter(([source]) => /paraglide\/(first|rest)\/messages\/(?!de\.js|_index)/.test(source))
			.map(([, entry]) => `/${entry.file}`);
		expect(others.length).toBe(18);
		expect(fetched.filter((file) => others.includes(file))).toEqual([]);
	});
});
