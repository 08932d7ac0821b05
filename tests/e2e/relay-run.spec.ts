// The whole app through the relay: a phone paired with the worker's relay imports a workflow, generates with live
// previews and gets its result, with no direct connection to ComfyUI at all.
import { expect, test, type Page } from '@playwright/test';
import { importFile, LORA_PNG } from './support/app';
import { APP_ORIGIN, E2E_ADMIN_SECRET } from './support/ports';

async function pairThroughRelay(page: Page): Promise<void> {
	const res = await page.request.post(`${APP_ORIGIN}/relay/admin/codes`, { headers: { Authorization: `Bearer ${E2E_ADMIN_SECRET}` } });
	const { code } = (await res.json()) as { code: string };
	await page.goto(`/pair#code=${code}`);
	await expect(page).toHaveURL(`${APP_ORIGIN}/`);
	await expect(page.getByTestId('status-pill')).toContainText('relay · live', { timeout: 20_000 });
}

test('a workflow generates through the relay with live previews and its result lands in the gallery', async ({ page }) => {
	const sockets: string[] = [];
	let binaryFrames = 0;
	page.on('websocket', (ws) => {
		sockets.push(ws.url());
		ws.on('framereceived', (frame) => {
			if (typeof frame.payload !== 'string') binaryFrames++;
		});
	});
	await pairThroughRelay(page);
	await importFile(page, LORA_PNG, 'lora_multiple');
	await page.getByRole('button', { name: 'Open lora_multiple' }).click();
	await expect(page).toHaveURL(/\/run\//);
	for (const select of await page.locator('select:has(option:text-matches("not on this server"))').all()) {
		await select.selectOption({ index: 1 });
	}
	await page.getByLabel('Steps', { exact: true }).fill('12');
	// A new seed, as a person would roll: an identical prompt would be answered from ComfyUI's cache, with no steps.
	await page.getByRole('button', { name: 'New random seed' }).first().click();
	await page.getByRole('button', { name: 'Generate' }).click();
	await expect(page.getByTestId('step')).toContainText(/step \d+\/12/, { timeout: 15_000 });
	await expect(page.getByTestId('job-status')).toHaveAttribute('data-status', 'done', { timeout: 30_000 });
	expect(binaryFrames).toBeGreaterThan(0);
	expect(sockets.length).toBeGreaterThan(0);
	for (const url of sockets) expect(url).toMatch(new RegExp(`^ws://127\\.0\\.0\\.1:\\d+/relay/ws\\?ticket=`));
	const item = page.getByTestId('gallery-item');
	await expect(item).toHaveCount(1);
	// Gallery thumbnails load lazily: bring it on screen as a person would (Generate scrolls up to the preview).
	await item.scrollIntoViewIfNeeded();
	await expect.poll(() => item.locator('img').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBeGreaterThan(0);
});
