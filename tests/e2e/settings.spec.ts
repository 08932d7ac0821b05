import { expect, test } from '@playwright/test';
import { addLanServer, importFile, LORA_PNG, screenshot } from './support/app';
import { APP_ORIGIN, E2E_ADMIN_SECRET, EMULATOR_NO_CORS_URL, EMULATOR_URL } from './support/ports';

test('a LAN server is tested (version and GPU from /system_stats), added, and goes live', async ({ page }) => {
	await page.goto('/settings');
	await page.getByLabel('ComfyUI address').fill(EMULATOR_URL);
	await page.getByRole('button', { name: 'Test connection' }).click();
	const diagnosis = page.getByTestId('diagnosis');
	await expect(diagnosis).toHaveAttribute('data-kind', 'connected', { timeout: 15_000 });
	await expect(page.getByTestId('server-info')).toContainText('0.3.64');
	await expect(page.getByTestId('server-info')).toContainText('GPU');
	await screenshot(page, 'settings-server-test');
	await page.getByRole('button', { name: 'Add server' }).click();
	await expect(page.getByTestId('status-pill')).toContainText('LAN · live', { timeout: 15_000 });
	await expect(page.getByRole('radio', { name: /ComfyUI on 127\.0\.0\.1/ })).toBeChecked();
	await page.reload();
	await expect(page.getByTestId('status-pill')).toContainText('LAN · live', { timeout: 15_000 });
	await page.getByRole('button', { name: /^Test ComfyUI on 127\.0\.0\.1/ }).click();
	await expect(page.getByTestId('server-info')).toContainText('0.3.64', { timeout: 15_000 });
	await page.goto('/');
	await expect(page.getByRole('heading', { name: 'Library' })).toBeVisible();
	await expect(page.getByRole('heading', { name: 'Connect your ComfyUI' })).toHaveCount(0);
});

test('a ComfyUI without --enable-cors-header is diagnosed as CORS, with the exact flag for this origin', async ({ page, baseURL }) => {
	await page.goto('/settings');
	await page.getByLabel('ComfyUI address').fill(EMULATOR_NO_CORS_URL);
	await page.getByRole('button', { name: 'Test connection' }).click();
	const diagnosis = page.getByTestId('diagnosis');
	await expect(diagnosis).toHaveAttribute('data-kind', 'cors', { timeout: 15_000 });
	await expect(diagnosis).toContainText('ComfyUI refuses requests from this app (CORS)');
	await expect(diagnosis.locator('pre').first()).toHaveText(`--enable-cors-header ${baseURL}`);
	await diagnosis.scrollIntoViewIfNeeded();
	await screenshot(page, 'settings-diagnosis-cors');
});

test('a port where nothing listens is diagnosed as refused, not as a network error', async ({ page }) => {
	await page.goto('/settings');
	await page.getByLabel('ComfyUI address').fill('http://127.0.0.1:9');
	await page.getByRole('button', { name: 'Test connection' }).click();
	await expect(page.getByTestId('diagnosis')).toHaveAttribute('data-kind', 'refused', { timeout: 15_000 });
});

test('everything is exported to one file and imported back after the data is gone', async ({ page }) => {
	await importFile(page, LORA_PNG, 'lora_multiple');
	await page.goto('/settings');
	const downloading = page.waitForEvent('download');
	await page.getByRole('button', { name: 'Export everything' }).click();
	const download = await downloading;
	expect(download.suggestedFilename()).toMatch(/^comfy-pocket-backup-\d{4}-\d{2}-\d{2}\.json$/);
	const file = await download.path();

	await page.evaluate(async () => {
		await new Promise((resolve) => {
			const req = indexedDB.deleteDatabase('comfy-pocket');
			req.onsuccess = req.onerror = req.onblocked = resolve;
		});
	});
	await page.goto('/');
	await expect(page.getByText('No workflows yet')).toBeVisible();

	await page.goto('/settings');
	await page.getByTestId('backup-input').setInputFiles(file);
	await expect(page.getByRole('status').filter({ hasText: 'Imported 1 workflows' })).toBeVisible();
	await page.goto('/');
	await expect(page.getByTestId('workflow-card').filter({ hasText: 'lora_multiple' })).toBeVisible();
});

test('a file that is not a backup is refused with a message', async ({ page }) => {
	await page.goto('/settings');
	await page.getByTestId('backup-input').setInputFiles({ name: 'x.json', mimeType: 'application/json', buffer: Buffer.from('{"nodes":[]}') });
	await expect(page.getByRole('alert')).toHaveText('This file is not a Comfy Pocket backup.');
});

test.describe('with a server', () => {
	test('the storage estimate is shown', async ({ page }) => {
		await addLanServer(page);
		await expect(page.getByTestId('storage-estimate')).toContainText('Using');
	});
});

test('a paired relay server is listed beside LAN ones, and the pill says the relay serves a simulated ComfyUI', async ({ page, request }) => {
	await addLanServer(page);
	const res = await request.post(`${APP_ORIGIN}/relay/admin/codes`, { headers: { Authorization: `Bearer ${E2E_ADMIN_SECRET}` } });
	const { code } = (await res.json()) as { code: string };
	await page.goto(`/pair#code=${code}`);
	await expect(page.getByTestId('status-pill')).toContainText('relay · live · simulated', { timeout: 20_000 });
	await page.goto('/settings');
	await expect(page.locator('input[name="active-server"]')).toHaveCount(2);
	await expect(page.getByText(/^Relay · /)).toBeVisible();
	await page.getByRole('radio', { name: /ComfyUI on 127\.0\.0\.1/ }).check();
	await expect(page.getByTestId('status-pill')).toContainText('LAN · live', { timeout: 15_000 });
});
