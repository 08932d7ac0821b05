import { expect, test } from '@playwright/test';

test('the app shell loads at phone size', async ({ page }) => {
	await page.goto('/');
	await expect(page.getByRole('heading', { name: 'Comfy Pocket' })).toBeVisible();
});
