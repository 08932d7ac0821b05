import { expect, test } from '@playwright/test';
import { addLanServer, screenshot } from './support/app';
import { EMULATOR_URL } from './support/ports';

test('the Models screen lists the server’s folders and filters a folder by search', async ({ page }) => {
	await addLanServer(page);
	await page.goto('/models');
	await expect(page.getByRole('tab', { name: 'checkpoints' })).toHaveAttribute('aria-selected', 'true', { timeout: 15_000 });
	const items = page.locator('ul.models li');
	await expect(items.first()).toBeVisible();
	const total = await items.count();
	const first = (await items.first().innerText()).trim();
	await page.getByLabel('Search checkpoints').fill(first);
	await expect(items.filter({ hasText: first })).toHaveCount(await items.count());
	expect(await items.count()).toBeLessThanOrEqual(total);
	await page.getByLabel('Search checkpoints').fill('no such model zzz');
	await expect(items).toHaveCount(0);
	await page.getByLabel('Search checkpoints').fill('');
	await page.getByRole('tab', { name: 'loras' }).click();
	await expect(page.getByRole('tab', { name: 'loras' })).toHaveAttribute('aria-selected', 'true');
	await screenshot(page, 'models');
});

test('in pick mode, choosing a model returns to the form that asked', async ({ page }) => {
	await addLanServer(page);
	await page.goto('/models?pick=4.ckpt_name&folder=checkpoints&return=%2Fhistory');
	await expect(page.getByRole('heading', { name: 'Choose a model' })).toBeVisible();
	const choice = page.locator('ul.models li button').first();
	await expect(choice).toBeVisible({ timeout: 15_000 });
	await choice.click();
	await expect(page).toHaveURL(/\/history$/);
});

test('the Models screen asks the server for the folder list once, not in a loop', async ({ page }) => {
	await addLanServer(page);
	const folderRequests: string[] = [];
	page.on('request', (r) => {
		const url = new URL(r.url());
		if (url.origin === EMULATOR_URL && /\/models$/.test(url.pathname)) folderRequests.push(`${r.method()} ${url.pathname}`);
	});
	await page.goto('/models');
	await expect(page.getByRole('tab', { name: 'checkpoints' })).toBeVisible({ timeout: 15_000 });
	await page.waitForTimeout(1500);
	// One GET, plus the CORS preflight Chromium may send first.
	expect(folderRequests.filter((r) => r.startsWith('GET'))).toHaveLength(1);
});
