import { expect, test } from '@playwright/test';
import { screenshot } from './support/app';

test('the app shell loads at phone size with the Library first', async ({ page }) => {
	await page.goto('/');
	await expect(page.getByRole('heading', { name: 'Library' })).toBeVisible();
	await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
	await expect(page.getByTestId('status-pill')).toHaveText('No server');
	await expect(page.getByText('No workflows yet')).toBeVisible();
	await expect(page.getByRole('heading', { name: 'Connect your ComfyUI' })).toBeVisible();
	await screenshot(page, 'library-empty');
	await page.getByRole('link', { name: 'Set up the connection' }).click();
	await expect(page.getByRole('heading', { name: 'Connection setup' })).toBeVisible();
});

test('the bottom navigation reaches every screen and Settings sits behind the gear', async ({ page }) => {
	await page.goto('/');
	const nav = page.getByRole('navigation', { name: 'Main' });
	await nav.getByRole('link', { name: 'History' }).click();
	await expect(page.getByRole('heading', { name: 'History' })).toBeVisible();
	await expect(nav.getByRole('link', { name: 'History' })).toHaveAttribute('aria-current', 'page');
	await nav.getByRole('link', { name: 'Models' }).click();
	await expect(page.getByRole('heading', { name: 'Models' })).toBeVisible();
	await expect(page.getByRole('alert')).toContainText('Connect to a server');
	await page.getByRole('link', { name: 'Settings' }).click();
	await expect(page.getByRole('heading', { name: 'Settings', exact: true })).toBeVisible();
});

test('every touch target in the navigation is at least 48 px tall', async ({ page }) => {
	await page.goto('/');
	for (const link of await page.getByRole('navigation', { name: 'Main' }).getByRole('link').all()) {
		const box = await link.boundingBox();
		expect(box?.height).toBeGreaterThanOrEqual(48);
	}
});

test('the theme follows the choice in Settings and survives a reload', async ({ page }) => {
	await page.emulateMedia({ colorScheme: 'light' });
	await page.goto('/settings');
	await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
	await page.getByLabel('Dark').check();
	await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
	await page.reload();
	await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
	await expect(page.getByLabel('Dark')).toBeChecked();
	await screenshot(page, 'settings');
	await page.getByLabel('System').check();
	await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
});

test('the connection setup guide gives the CORS flag for this exact origin', async ({ page, baseURL }) => {
	await page.goto('/settings/setup');
	await expect(page.getByText(`--enable-cors-header ${baseURL}`).first()).toBeVisible();
	await expect(page.getByText('tailscale serve --bg 8188')).toBeVisible();
	await screenshot(page, 'setup-guide');
});
