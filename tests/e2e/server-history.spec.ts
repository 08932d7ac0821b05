// Server history on the LAN: results made outside the app (queued straight to the emulator over HTTP, as the
// ComfyUI desktop UI would) are listed newest first, paged, refreshed by the server's own status broadcast, opened
// full screen, saved to the phone's history and imported as a workflow.
import { expect, test, type APIRequestContext } from '@playwright/test';
import { addLanServer } from './support/app';
import { EMULATOR_URL } from './support/ports';

async function queueOutside(request: APIRequestContext, tag: string, n: number): Promise<string[]> {
	const ids: string[] = [];
	for (let i = 0; i < n; i++) {
		const prompt_id = `${tag}-${i}`;
		const prompt = {
			'1': { class_type: 'SlowNoiseImage', inputs: { steps: 1, seed: 5000 + i, width: 64, height: 64, text: `${tag}${i}`, delay_ms: 0, preview_format: 'JPEG' } },
			'2': { class_type: 'SaveImage', inputs: { images: ['1', 0], filename_prefix: `${tag}_${i}` } }
		};
		const res = await request.post(`${EMULATOR_URL}/prompt`, { data: { prompt, prompt_id, client_id: 'desktop-ui', extra_data: { extra_pnginfo: { workflow: { nodes: [], links: [], version: 0.4 } } } } });
		expect(res.status()).toBe(200);
		ids.push(prompt_id);
	}
	await expect.poll(async () => Object.keys(await (await request.get(`${EMULATOR_URL}/history/${ids.at(-1)}`)).json()).length, { timeout: 30_000 }).toBe(1);
	return ids;
}

test('Server history lists results made outside the app, pages, refreshes on status, saves and imports', async ({ page }) => {
	test.setTimeout(90_000);
	const tag = `desk${Date.now()}`;
	const ids = await queueOutside(page.request, tag, 26);
	await addLanServer(page);
	await page.goto('/history');
	await page.getByRole('link', { name: 'Server history' }).click();
	await expect(page).toHaveURL(/\/server-history$/);

	const tiles = page.getByTestId('server-result');
	await expect(tiles).toHaveCount(24);
	await expect(tiles.first()).toHaveAttribute('data-prompt', ids[25]);
	await expect(tiles.nth(1)).toHaveAttribute('data-prompt', ids[24]);
	await expect.poll(() => tiles.first().locator('img').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBeGreaterThan(0);
	await page.getByRole('button', { name: 'Show older results' }).click();
	await expect(page.locator(`[data-testid="server-result"][data-prompt="${ids[0]}"]`)).toBeVisible();
	expect(await tiles.count()).toBeGreaterThanOrEqual(26);

	// A new result made elsewhere appears at the top by itself: the server's status broadcast causes the reload.
	const [later] = await queueOutside(page.request, `${tag}b`, 1);
	await expect(tiles.first()).toHaveAttribute('data-prompt', later, { timeout: 15_000 });

	// Full screen, then Save to phone.
	await page.locator(`[data-testid="server-result"][data-prompt="${ids[3]}"]`).click();
	const sheet = page.getByTestId('server-result-sheet');
	await expect(sheet.locator('img')).toHaveJSProperty('complete', true);
	expect(await sheet.locator('img').evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(64);
	await sheet.getByRole('button', { name: 'Save to phone' }).click();
	await expect(sheet.getByTestId('server-result-message')).toContainText("Saved to this phone's history");
	await sheet.getByRole('button', { name: 'Import as workflow' }).click();
	await expect(page).toHaveURL(/\/run\//);
	await page.goto('/history');
	await expect(page.getByTestId('history-item')).toHaveCount(1);
	await page.getByTestId('history-item').click();
	await expect(page.getByRole('dialog')).toContainText('made on the server by another app');
	await expect(page.getByRole('dialog').locator('dd', { hasText: `${tag}3` })).toBeVisible();
});
