import { expect, test } from '@playwright/test';
import { screenshot, seedResult } from './support/app';

test('History shows every stored result, opens one with its parameters, and deletes it', async ({ page }) => {
	await page.goto('/history');
	await expect(page.getByText('No results yet')).toBeVisible();
	await seedResult(page, 'Lighthouse');
	await page.reload();
	await expect(page.getByTestId('history-item')).toHaveCount(1);
	await screenshot(page, 'history');
	await page.getByTestId('history-item').click();
	const sheet = page.getByRole('dialog');
	await expect(sheet.getByRole('heading', { name: 'Lighthouse' })).toBeVisible();
	await expect(sheet.getByText('a lighthouse at dusk')).toBeVisible();
	await expect(sheet.getByRole('link', { name: 'Open workflow' })).toHaveAttribute('href', /\/run\/seed-/);
	await screenshot(page, 'history-result');
	await sheet.getByRole('button', { name: 'Delete…' }).click();
	await sheet.getByRole('button', { name: 'Delete this result' }).click();
	await expect(page.getByText('No results yet')).toBeVisible();
});
