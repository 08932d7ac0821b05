// The Run screen against the ComfyUI emulator: a real PNG imported, its form, live previews, Stop, a server
// validation error on its field, the gallery and viewer. The first three journeys run against both server
// generations (0.3.64 and --profile 2026). Screenshots (from the 0.3.64 runs) go to docs/screenshots/.
import { expect, test, type Page } from '@playwright/test';
import { openLora, screenshot as takeScreenshot } from './support/app';
import { serverRequests } from './support/emulator';
import { GENERATIONS } from './support/ports';

/** Records, in the page, a signature of the preview canvas on every display frame that changed it. */
async function recordPreviewFrames(page: Page): Promise<void> {
	await page.getByTestId('live-preview').evaluate((canvas: HTMLCanvasElement) => {
		const seen = new Set<string>();
		(window as unknown as { previewFrames: Set<string> }).previewFrames = seen;
		const context = canvas.getContext('2d')!;
		const sample = () => {
			if (canvas.width > 0 && canvas.height > 0) {
				const data = context.getImageData(0, 0, canvas.width, canvas.height).data;
				let hash = 0;
				for (let i = 0; i < data.length; i += 97) hash = (hash * 31 + data[i]) | 0;
				seen.add(`${canvas.width}x${canvas.height}:${hash}`);
			}
			if (canvas.isConnected) requestAnimationFrame(sample);
		};
		requestAnimationFrame(sample);
	});
}

const distinctFrames = (page: Page) => page.evaluate(() => (window as unknown as { previewFrames: Set<string> }).previewFrames.size);

for (const server of GENERATIONS) {
	// Screenshots come from the default generation only (one picture per screen).
	const screenshot: typeof takeScreenshot = (page, name, options) => (server.name === '0.3.64' ? takeScreenshot(page, name, options) : Promise.resolve());

	test(`${server.name}: an imported PNG becomes a form that generates with live previews into the gallery`, async ({ page }) => {
		await openLora(page, 50, server.url);
		await expect(page.getByLabel(/^Prompt/)).toHaveValue(/masterpiece best quality girl/);
		await expect(page.getByLabel(/^Negative prompt/)).toHaveValue('bad hands');
		await expect(page.getByLabel('Seed', { exact: true })).toHaveValue(/^\d+$/);
		await expect(page.getByLabel('Width', { exact: true })).toHaveValue('512');
		await expect(page.getByLabel('Height', { exact: true })).toHaveValue('512');
		const seed = await page.getByLabel('Seed', { exact: true }).inputValue();
		await screenshot(page, 'run-form', { scrollTo: 'top' });

		await recordPreviewFrames(page);
		await page.getByRole('button', { name: 'Generate' }).click();
		await expect(page.getByTestId('step')).toContainText(/step \d+\/50/, { timeout: 15_000 });
		await expect.poll(() => distinctFrames(page)).toBeGreaterThanOrEqual(3);
		await screenshot(page, 'run-live-preview', { scrollTo: 'top' });

		await expect(page.getByTestId('job-status')).toHaveAttribute('data-status', 'done', { timeout: 20_000 });
		await expect(page.getByRole('progressbar', { name: 'Overall progress' })).toHaveAttribute('aria-valuenow', '100');
		const item = page.getByTestId('gallery-item');
		await expect(item).toHaveCount(1);
		await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
		// The thumbnail made on the device decodes to a real picture.
		await expect.poll(() => item.locator('img').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBeGreaterThan(0);
		await screenshot(page, 'run-gallery');

		await item.click();
		const viewer = page.getByRole('dialog');
		await expect(viewer.getByRole('img', { name: 'Result 1' })).toBeVisible();
		await viewer.getByRole('button', { name: 'Parameters' }).click();
		const params = page.getByTestId('result-params');
		await expect(params).toContainText(seed);
		await expect(params).toContainText('masterpiece best quality girl');
		await screenshot(page, 'run-viewer');
		await viewer.getByRole('button', { name: 'Close' }).click();
		await expect(viewer).toBeHidden();
		// The seed moved on for the next run (the workflow's control is "randomize").
		await expect(page.getByLabel('Seed', { exact: true })).not.toHaveValue(seed);
	});

	test(`${server.name}: Stop ends the running job as stopped, cancels the queued ones, and the next job still runs`, async ({ page }) => {
		await openLora(page, 60, server.url);
		await page.getByRole('button', { name: 'More runs' }).click();
		await page.getByRole('button', { name: 'More runs' }).click();
		await page.getByRole('button', { name: 'Generate' }).click();
		await expect(page.getByTestId('step')).toBeVisible({ timeout: 15_000 });
		const before = (await serverRequests(server.url)).length;
		await page.getByRole('button', { name: /^Stop/ }).click();
		const items = page.getByTestId('queue-item');
		await expect(items).toHaveCount(3);
		await expect(items.nth(0)).toHaveAttribute('data-status', 'stopped', { timeout: 10_000 });
		await expect(items.nth(1)).toHaveAttribute('data-status', 'cancelled');
		await expect(items.nth(2)).toHaveAttribute('data-status', 'cancelled');
		// Each generation is stopped its own way, by prompt id: the job API where the server has it.
		const stops = (await serverRequests(server.url)).slice(before).filter((r) => r.startsWith('POST ') && !r.endsWith('/prompt'));
		if (server.name === '2026') {
			expect(stops.length).toBeGreaterThanOrEqual(3);
			expect(stops.every((r) => /^POST \/api\/jobs\/[0-9a-f-]{36}\/cancel$/.test(r)), stops.join(', ')).toBe(true);
		} else {
			expect(stops).toEqual(expect.arrayContaining(['POST /api/queue', 'POST /api/interrupt']));
			expect(stops.some((r) => r.includes('/jobs'))).toBe(false);
		}

		await page.getByRole('button', { name: 'Fewer runs' }).click();
		await page.getByRole('button', { name: 'Fewer runs' }).click();
		await page.getByLabel('Steps', { exact: true }).fill('4');
		await page.getByRole('button', { name: 'Generate' }).click();
		await expect(items).toHaveCount(4);
		await expect(items.nth(3)).toHaveAttribute('data-status', 'done', { timeout: 20_000 });
		await expect(page.getByTestId('gallery-item')).toHaveCount(1);
	});

	test(`${server.name}: a value the server refuses is shown on the field it concerns`, async ({ page }) => {
		// The app is told a larger maximum than the server enforces, so only the server's validation can catch it.
		await page.route(`${server.url}/api/object_info`, async (route) => {
			const response = await route.fetch();
			const info = await response.json();
			info.KSampler.input.required.steps[1].max = 1_000_000;
			await route.fulfill({ response, json: info });
		});
		await openLora(page, 20_000, server.url);
		await page.getByRole('button', { name: 'Generate' }).click();
		const steps = page.getByLabel('Steps', { exact: true });
		await expect(steps).toHaveAttribute('aria-invalid', 'true', { timeout: 10_000 });
		await expect(page.locator('.field.invalid').filter({ has: steps })).toContainText(/20000|max/i);
		await expect(page.getByTestId('queue-item')).toHaveCount(0);
		await screenshot(page, 'run-server-error');
	});
}

test('the viewer pages between results by swipe and reuses a result’s settings', async ({ page }) => {
	await openLora(page, 4);
	await page.getByRole('button', { name: 'More runs' }).click();
	await page.getByRole('button', { name: 'Generate' }).click();
	const items = page.getByTestId('gallery-item');
	await expect(items).toHaveCount(2, { timeout: 20_000 });
	await items.first().click();
	const viewer = page.getByRole('dialog');
	await expect(viewer).toContainText('1 / 2');
	await viewer.getByRole('button', { name: 'Parameters' }).click();
	const shownSeed = (await page.getByTestId('result-params').locator('dt:text-is("KSampler › Seed") + dd').textContent())!;

	// A finger swipe from right to left shows the next result.
	const stage = (await viewer.getByRole('img', { name: 'Result 1' }).boundingBox())!;
	const y = stage.y + stage.height / 2;
	await page.mouse.move(stage.x + stage.width * 0.8, y);
	await page.mouse.down();
	await page.mouse.move(stage.x + stage.width * 0.5, y, { steps: 4 });
	await page.mouse.move(stage.x + stage.width * 0.2, y, { steps: 4 });
	await page.mouse.up();
	await expect(viewer).toContainText('2 / 2');
	await expect(viewer.getByRole('link', { name: 'Download' })).toHaveAttribute('download', /\.png$/);

	// The phone's Back button closes the viewer rather than leaving the screen.
	await page.goBack();
	await expect(viewer).toBeHidden();
	await expect(page).toHaveURL(/\/run\//);
	await items.first().click();
	await expect(viewer).toContainText('1 / 2');
	await viewer.getByRole('button', { name: 'Reuse settings' }).click();
	await expect(viewer).toBeHidden();
	await expect(page.getByLabel('Seed', { exact: true })).toHaveValue(shownSeed.trim());
});

test('holding Generate queues four runs', async ({ page }) => {
	await openLora(page, 40);
	const generateButton = (await page.getByRole('button', { name: 'Generate' }).boundingBox())!;
	await page.mouse.move(generateButton.x + generateButton.width / 2, generateButton.y + generateButton.height / 2);
	await page.mouse.down();
	await expect(page.getByTestId('queue-item')).toHaveCount(4, { timeout: 5_000 });
	await page.mouse.up();
	await page.getByRole('button', { name: /^Stop/ }).click();
	await expect(page.locator('[data-testid=queue-item]:is([data-status=running], [data-status=queued])')).toHaveCount(0, { timeout: 10_000 });
	await expect(page.locator('[data-testid=queue-item][data-status=cancelled]')).toHaveCount(3);
});
