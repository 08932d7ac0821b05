// The Run screen keeps a run in sight: Generate pressed down the form scrolls the live preview into view, the
// Generate bar carries a compact copy (thumbnail, step, progress) while the preview is scrolled away, the bar rests
// on the navigation with no band between them, and the folded Advanced section says how much it holds.
import { expect, test, type Page } from '@playwright/test';
import { openLora, screenshot } from './support/app';

const liveSection = (page: Page) => page.getByRole('region', { name: 'Live generation' });

test('Generate pressed down the form brings the live preview into view, and the bar shows progress when it is scrolled away', async ({
	page
}) => {
	await openLora(page, 150);
	await page.getByLabel('Height', { exact: true }).scrollIntoViewIfNeeded();
	await expect(liveSection(page)).not.toBeInViewport();

	await page.getByRole('button', { name: 'Generate' }).click();
	await expect(liveSection(page)).toBeInViewport({ ratio: 0.9 });
	await expect(page.getByTestId('step')).toContainText(/step \d+\/150/, { timeout: 15_000 });
	const strip = page.getByTestId('live-strip');
	await expect(strip).toBeHidden();

	await page.evaluate(() => window.scrollTo({ top: document.documentElement.scrollHeight, behavior: 'instant' }));
	await expect(liveSection(page)).not.toBeInViewport();
	await expect(strip).toBeVisible();
	await expect(strip).toContainText(/KSampler · step \d+\/150/);
	// The thumbnail mirrors the preview frames: it has been drawn into, at the preview's proportions.
	await expect
		.poll(() =>
			strip.locator('canvas').evaluate((canvas: HTMLCanvasElement) => {
				const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
				let opaque = 0;
				for (let i = 3; i < data.length; i += 4) if (data[i] > 0) opaque++;
				return { width: canvas.width, height: canvas.height, drawn: opaque > 0 };
			})
		)
		.toEqual({ width: 96, height: 96, drawn: true });
	await screenshot(page, 'run-live-strip');

	await strip.click();
	await expect(liveSection(page)).toBeInViewport({ ratio: 0.9 });
	await expect(strip).toBeHidden();

	// Leaves the emulator free for the next test (on a loaded machine the run may have finished already).
	await page.getByRole('button', { name: /^Stop/ }).click();
	await expect(page.getByTestId('job-status')).toHaveAttribute('data-status', /stopped|done/, { timeout: 10_000 });
});

test('with live previews off in Settings, the strip shows the progress without an empty thumbnail', async ({ page }) => {
	await openLora(page, 150);
	await page.goto('/settings');
	await page.getByRole('switch', { name: /Live previews/ }).uncheck();
	await page.getByRole('link', { name: 'Run' }).click();
	await page.getByLabel('Steps', { exact: true }).fill('150');
	await page.getByRole('button', { name: 'Generate' }).click();
	await expect(page.getByTestId('step')).toBeVisible({ timeout: 15_000 });
	await page.evaluate(() => window.scrollTo({ top: document.documentElement.scrollHeight, behavior: 'instant' }));
	const strip = page.getByTestId('live-strip');
	await expect(strip).toContainText(/step \d+\/150/);
	await expect(strip.locator('canvas')).toHaveCount(0);
	await page.getByRole('button', { name: /^Stop/ }).click();
	await expect(page.getByTestId('job-status')).toHaveAttribute('data-status', /stopped|done/, { timeout: 10_000 });
});

test('with reduced motion asked for, Generate jumps to the live preview instead of gliding', async ({ page }) => {
	await page.emulateMedia({ reducedMotion: 'reduce' });
	await openLora(page, 150);
	await page.getByLabel('Height', { exact: true }).scrollIntoViewIfNeeded();
	await page.getByRole('button', { name: 'Generate' }).click();
	// Read at once, before any smooth scroll could have arrived.
	const top = await liveSection(page).evaluate((section) => Math.round(section.getBoundingClientRect().top));
	expect(top).toBeGreaterThanOrEqual(0);
	expect(top).toBeLessThan(200);
	await page.getByRole('button', { name: /^Stop/ }).click();
	await expect(page.getByTestId('job-status')).toHaveAttribute('data-status', /stopped|done/, { timeout: 10_000 });
});

test('a Generate the form refuses leaves the page at the field in error', async ({ page }) => {
	await openLora(page, 20_000);
	const steps = page.getByLabel('Steps', { exact: true });
	await expect(liveSection(page)).not.toBeInViewport();
	await page.getByRole('button', { name: 'Generate' }).click();
	await expect(steps).toHaveAttribute('aria-invalid', 'true');
	await expect(steps).toBeInViewport();
	// In view means above the sticky Generate bar, not behind it.
	const barTop = (await page.getByTestId('generate-bar').boundingBox())!.y;
	const stepsBottom = async () => {
		const box = (await steps.boundingBox())!;
		return box.y + box.height;
	};
	await expect.poll(stepsBottom).toBeLessThan(barTop);
	await expect(liveSection(page)).not.toBeInViewport();
	await expect(page.getByTestId('queue-item')).toHaveCount(0);
});

test('the Generate bar rests on the navigation, mid-page and at the end of the page', async ({ page }) => {
	await openLora(page, 4);
	const bar = page.getByTestId('generate-bar');
	const nav = page.getByRole('navigation', { name: 'Main' });
	const gap = async () => {
		const [b, n] = [(await bar.boundingBox())!, (await nav.boundingBox())!];
		return Math.round(n.y - (b.y + b.height));
	};
	await page.evaluate(() => window.scrollTo({ top: 200, behavior: 'instant' }));
	expect(Math.abs(await gap())).toBeLessThanOrEqual(1);
	await page.evaluate(() => window.scrollTo({ top: document.documentElement.scrollHeight, behavior: 'instant' }));
	expect(Math.abs(await gap())).toBeLessThanOrEqual(1);
});

test('the folded Advanced section shows a chevron and how many fields it holds', async ({ page }) => {
	await openLora(page, 4);
	const advanced = page.locator('details.advanced');
	const summary = advanced.locator('summary');
	await expect(summary).toContainText(/Advanced\s*\d+ more fields?/);
	await expect(summary.locator('.chevron')).toBeVisible();
	const said = Number((await summary.textContent())!.match(/(\d+) more/)![1]);
	await summary.click();
	await expect(advanced).toHaveAttribute('open', '');
	await expect(advanced.locator('.field')).toHaveCount(said);
	expect(said).toBeGreaterThan(0);
});
