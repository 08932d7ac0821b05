import { expect, test } from '@playwright/test';
import { importFile, LORA_PNG, seedResult, waitForServiceWorker } from './support/app';

test('after going offline, a reload still shows the library and the history', async ({ page, context }) => {
	await importFile(page, LORA_PNG, 'lora_multiple');
	await seedResult(page, 'Lighthouse');
	await waitForServiceWorker(page);

	await context.setOffline(true);
	await page.reload();
	await expect(page.getByRole('heading', { name: 'Library' })).toBeVisible();
	await expect(page.getByTestId('workflow-card').filter({ hasText: 'lora_multiple' })).toBeVisible();
	await expect(page.getByTestId('workflow-card').filter({ hasText: 'Lighthouse' })).toBeVisible();

	await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'History' }).click();
	await expect(page.getByTestId('history-item')).toHaveCount(1);
	await page.getByTestId('history-item').click();
	await expect(page.getByText('a lighthouse at dusk')).toBeVisible();
	await expect(page.getByRole('img', { name: 'Result 1' })).toBeVisible();

	// A cold start (new navigation, not a reload) of a deep link works offline too.
	await page.goto('/settings');
	await expect(page.getByRole('heading', { name: 'Settings', exact: true })).toBeVisible();
	await context.setOffline(false);
});
