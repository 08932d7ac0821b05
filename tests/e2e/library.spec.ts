import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { addLanServer, importFile, LORA_PNG, screenshot } from './support/app';

test('a ComfyUI PNG imported with the file picker becomes a workflow in the Library', async ({ page }) => {
	await importFile(page, LORA_PNG, 'lora_multiple');
	await expect(page.getByRole('status').filter({ hasText: 'Imported “lora_multiple”' })).toBeVisible();
	await page.reload();
	await expect(page.getByTestId('workflow-card')).toHaveCount(1);
	await screenshot(page, 'library');
});

test('a file without a workflow gets a clear message and nothing is added', async ({ page }) => {
	await page.goto('/');
	await page.getByTestId('import-input').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('just some notes') });
	const alert = page.getByRole('alert');
	await expect(alert).toContainText('notes.txt');
	await expect(page.getByTestId('workflow-card')).toHaveCount(0);
	await screenshot(page, 'library-import-error');
});

test('a workflow dropped on the Library is imported', async ({ page }) => {
	await page.goto('/');
	const bytes = [...readFileSync(LORA_PNG)];
	const drop = await page.evaluateHandle((data) => {
		const transfer = new DataTransfer();
		transfer.items.add(new File([new Uint8Array(data)], 'dropped.png', { type: 'image/png' }));
		return transfer;
	}, bytes);
	await page.locator('main').dispatchEvent('drop', { dataTransfer: drop });
	await expect(page.getByTestId('workflow-card').filter({ hasText: 'dropped' })).toBeVisible({ timeout: 15_000 });
});

test('workflows can be searched, renamed, duplicated and deleted', async ({ page }) => {
	await importFile(page, LORA_PNG, 'lora_multiple');
	const card = page.getByTestId('workflow-card');
	await page.getByRole('button', { name: 'More actions for lora_multiple' }).click();
	await page.getByRole('button', { name: 'Rename' }).click();
	await page.getByLabel('New name').fill('Two LoRAs');
	await page.getByRole('button', { name: 'Save' }).click();
	await expect(card.filter({ hasText: 'Two LoRAs' })).toBeVisible();

	await page.getByRole('button', { name: 'More actions for Two LoRAs' }).click();
	await page.getByRole('button', { name: 'Duplicate' }).click();
	await expect(card).toHaveCount(2);
	await expect(card.filter({ hasText: 'Two LoRAs (copy)' })).toBeVisible();

	await page.getByLabel('Search workflows').fill('copy');
	await expect(card).toHaveCount(1);
	await page.getByLabel('Search workflows').fill('');

	await page.getByRole('button', { name: 'More actions for Two LoRAs (copy)' }).click();
	await page.getByRole('button', { name: 'Delete…' }).click();
	await page.getByRole('button', { name: 'Delete “Two LoRAs (copy)”' }).click();
	await expect(card).toHaveCount(1);
	await page.reload();
	await expect(card).toHaveCount(1);
});

test('a workflow saved on the server is opened from the Library', async ({ page }) => {
	await addLanServer(page);
	await page.goto('/');
	await page.getByRole('button', { name: 'From server' }).click();
	const sheet = page.getByRole('dialog', { name: 'Workflows saved on the server' });
	const first = sheet.getByRole('listitem').getByRole('button').first();
	await expect(first).toBeVisible({ timeout: 15_000 });
	const path = (await first.innerText()).trim();
	await screenshot(page, 'library-from-server');
	await first.click();
	const name = path.split('/').pop()!.replace(/\.json$/, '');
	await expect(page.getByTestId('workflow-card').filter({ hasText: name })).toBeVisible({ timeout: 15_000 });
});

test('workflow JSON pasted on the Library is imported', async ({ page }) => {
	await page.goto('/');
	await expect(page.getByText('No workflows yet')).toBeVisible();
	const prompt = JSON.stringify({ '4': { class_type: 'CheckpointLoaderSimple', inputs: { ckpt_name: 'sd15.safetensors' } } });
	await page.evaluate((text) => {
		const data = new DataTransfer();
		data.setData('text/plain', text);
		document.body.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true }));
	}, prompt);
	await expect(page.getByTestId('workflow-card').filter({ hasText: 'pasted workflow' })).toBeVisible({ timeout: 15_000 });
});

test('a full device is reported with a way to free space, and nothing half-saved appears', async ({ page }) => {
	await page.goto('/');
	await expect(page.getByText('No workflows yet')).toBeVisible();
	// What the browser does when the origin's quota is used up: every write fails with QuotaExceededError.
	await page.evaluate(() => {
		IDBObjectStore.prototype.put = function () {
			throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
		};
	});
	await page.getByTestId('import-input').setInputFiles(LORA_PNG);
	const alert = page.getByRole('alert');
	await expect(alert).toContainText('Device storage is full');
	await expect(alert.getByRole('link', { name: 'Free space' })).toHaveAttribute('href', '/settings#storage');
	await expect(page.getByTestId('workflow-card')).toHaveCount(0);
	await screenshot(page, 'library-storage-full');
});
