// Accessibility of every screen in light and dark theme (issue 13): axe-core's WCAG 2.0/2.1 A+AA rules plus
// target-size, run in the page once each state is on screen. The theme follows the system (the default choice),
// so emulating the colour scheme switches it.
import { expect, test } from '@playwright/test';
import { expectNoA11yViolations } from './support/a11y';
import { addLanServer, importFile, LORA_PNG, seedResult } from './support/app';

for (const theme of ['light', 'dark'] as const) {
	test.describe(`${theme} theme`, () => {
		test.use({ colorScheme: theme });

		test('screens without a server: library, history, settings, setup guide, pair, import error', async ({ page }) => {
			await page.goto('/');
			await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
			await expect(page.getByTestId('import-input')).toBeAttached();
			await expectNoA11yViolations(page, `library (empty, ${theme})`);
			await page.getByTestId('import-input').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('just some notes') });
			await expect(page.getByRole('alert')).toContainText('notes.txt');
			await expectNoA11yViolations(page, `library import error (${theme})`);
			await page.goto('/history');
			await expect(page.getByText('No results yet')).toBeVisible();
			await expectNoA11yViolations(page, `history (empty, ${theme})`);
			await page.goto('/settings');
			await expect(page.getByLabel('ComfyUI address')).toBeVisible();
			await expectNoA11yViolations(page, `settings (${theme})`);
			await page.goto('/settings/setup');
			await expect(page.getByRole('heading').first()).toBeVisible();
			await expectNoA11yViolations(page, `setup guide (${theme})`);
			await page.goto('/pair');
			await expect(page.getByRole('button', { name: 'Pair' })).toBeVisible();
			await expectNoA11yViolations(page, `pair (${theme})`);
		});

		test('with a server: library, delete dialog, run form, edit form, models, history and its viewer, server history', async ({ page }) => {
			await addLanServer(page);
			await importFile(page, LORA_PNG, 'lora_multiple');
			await expectNoA11yViolations(page, `library (with workflows, ${theme})`);
			await page.getByRole('button', { name: 'More actions for lora_multiple' }).click();
			await page.getByRole('button', { name: 'Delete…' }).click();
			await expect(page.getByRole('button', { name: 'Delete “lora_multiple”' })).toBeVisible();
			await expectNoA11yViolations(page, `delete confirm (${theme})`);
			await page.keyboard.press('Escape');
			await page.goto('/');
			await page.getByRole('button', { name: 'Open lora_multiple' }).click();
			await expect(page.getByRole('heading', { name: 'lora_multiple' })).toBeVisible();
			await expect(page.getByLabel('Steps', { exact: true })).toBeVisible();
			await expectNoA11yViolations(page, `run form (${theme})`);
			await page.getByRole('button', { name: 'Edit form' }).click();
			await expect(page.getByRole('button', { name: 'Edit form' })).toHaveCount(0);
			await expectNoA11yViolations(page, `form editor (${theme})`);
			await page.goto('/models');
			await expect(page.getByRole('heading').first()).toBeVisible();
			await expectNoA11yViolations(page, `models (${theme})`);
			await page.goto('/history');
			await seedResult(page, 'Lighthouse');
			await page.reload();
			await expect(page.getByTestId('history-item')).toHaveCount(1);
			await expectNoA11yViolations(page, `history (${theme})`);
			await page.getByTestId('history-item').click();
			await expect(page.getByRole('dialog').getByRole('heading', { name: 'Lighthouse' })).toBeVisible();
			await expectNoA11yViolations(page, `result viewer (${theme})`);
			await page.goto('/server-history');
			await expect(page.getByRole('heading').first()).toBeVisible();
			await expectNoA11yViolations(page, `server history (${theme})`);
		});
	});
}
