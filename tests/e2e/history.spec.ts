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

test('"Reuse these settings" makes a result\'s values the workflow\'s last-used values and opens it', async ({ page }) => {
	await page.goto('/history');
	const { workflowId } = await seedResult(page, 'Lighthouse');
	await page.reload();
	await page.getByTestId('history-item').click();
	await page.getByRole('dialog').getByRole('button', { name: 'Reuse these settings' }).click();
	await expect(page).toHaveURL(new RegExp(`/run/${workflowId}$`));
	const lastValues = await page.evaluate(async (id) => {
		const db = await new Promise<IDBDatabase>((resolve) => {
			const req = indexedDB.open('comfy-pocket');
			req.onsuccess = () => resolve(req.result);
		});
		const record = await new Promise<{ lastValues?: Record<string, unknown> }>((resolve) => {
			const req = db.transaction('workflows').objectStore('workflows').get(id);
			req.onsuccess = () => resolve(req.result);
		});
		db.close();
		return record.lastValues;
	}, workflowId);
	expect(lastValues).toMatchObject({ '3.seed': 42, '6.text': 'a lighthouse at dusk' });
});
