// Two phones (and a third joining late) paired with one relay against the emulator: every phone sees every run
// live, any phone can stop any run and all of them say who did, and a run's result reaches the other phone's
// history with its parameters.
import { expect, test, type Browser, type Page } from '@playwright/test';
import { importFile, LORA_PNG } from './support/app';
import { APP_ORIGIN, E2E_ADMIN_SECRET } from './support/ports';

const IPHONE_UA = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1';

async function phone(browser: Browser, userAgent?: string): Promise<Page> {
	const context = await browser.newContext(userAgent ? { userAgent } : {});
	const page = await context.newPage();
	const res = await page.request.post(`${APP_ORIGIN}/relay/admin/codes`, { headers: { Authorization: `Bearer ${E2E_ADMIN_SECRET}` } });
	const { code } = (await res.json()) as { code: string };
	await page.goto(`/pair#code=${code}`);
	await expect(page).toHaveURL(`${APP_ORIGIN}/`);
	await expect(page.getByTestId('status-pill')).toContainText('relay · live', { timeout: 20_000 });
	return page;
}

async function generate(page: Page, steps: number): Promise<void> {
	await page.getByLabel('Steps', { exact: true }).fill(String(steps));
	await page.getByRole('button', { name: 'New random seed' }).first().click();
	await page.getByRole('button', { name: 'Generate' }).click();
	await expect(page.getByTestId('job-status')).toHaveAttribute('data-status', 'running', { timeout: 15_000 });
}

/** Distinct pictures the live card's canvas showed while it was polled. */
async function distinctFrames(page: Page, wanted: number): Promise<number> {
	const seen = new Set<string>();
	const canvas = page.getByTestId('shared-run').getByTestId('live-preview');
	await expect
		.poll(
			async () => {
				seen.add(await canvas.evaluate((c: HTMLCanvasElement) => (c.width > 0 ? c.toDataURL('image/png') : '')));
				seen.delete('');
				return seen.size;
			},
			{ timeout: 20_000, intervals: [50] }
		)
		.toBeGreaterThanOrEqual(wanted);
	return seen.size;
}

test('a run on one phone is live on the others, stoppable from any of them, and its result reaches them all', async ({ browser }) => {
	test.setTimeout(120_000);
	const a = await phone(browser);
	const b = await phone(browser, IPHONE_UA);
	const c = await phone(browser);
	await c.close();

	await importFile(a, LORA_PNG, 'lora_multiple');
	await a.getByRole('button', { name: 'Open lora_multiple' }).click();
	await expect(a).toHaveURL(/\/run\//);
	for (const select of await a.locator('select:has(option:text-matches("not on this server"))').all()) await select.selectOption({ index: 1 });

	// Run 1: B watches it live; a third phone opens mid-run and joins from the relay's snapshot.
	await generate(a, 150);
	const card = b.getByTestId('shared-run');
	await expect(card).toHaveAttribute('data-status', 'running', { timeout: 15_000 });
	await expect(card.getByTestId('shared-owner')).toHaveText('started by Android phone');
	await expect(card).toContainText('lora_multiple');
	await expect(card.getByTestId('shared-step')).toContainText(/step \d+\/150/);
	expect(await distinctFrames(b, 3)).toBeGreaterThanOrEqual(3);

	const late = await c.context().newPage();
	await late.goto('/');
	const lateCard = late.getByTestId('shared-run');
	await expect(lateCard).toHaveAttribute('data-status', 'running', { timeout: 15_000 });
	await expect.poll(() => lateCard.getByTestId('live-preview').evaluate((el) => Number(el.closest('[data-drawn]')?.getAttribute('data-drawn') ?? 0))).toBeGreaterThan(0);
	await expect(lateCard.getByTestId('shared-step')).toContainText(/step \d+\/150/);
	await expect(a.getByTestId('job-status')).toHaveAttribute('data-status', 'done', { timeout: 30_000 });

	// B's history holds A's result, with its parameters, and reusing them imports the workflow there.
	await b.goto('/history');
	await b.getByTestId('history-item').first().click();
	const sheet = b.getByRole('dialog');
	await expect(sheet).toContainText('lora_multiple');
	await expect(sheet).toContainText('made by Android phone');
	await expect(sheet.locator('dt', { hasText: /\.steps$/ })).toHaveCount(1);
	await expect(sheet.locator('dd', { hasText: /^150$/ }).first()).toBeVisible();
	await expect(sheet.locator('img').first()).toHaveJSProperty('complete', true);
	await sheet.getByRole('button', { name: 'Reuse these settings' }).click();
	await expect(b).toHaveURL(/\/run\//);
	await expect(b.getByLabel('Steps', { exact: true })).toHaveValue('150');

	// Run 2: B stops A's run; both say it stopped, and who stopped it.
	await b.goto('/');
	await generate(a, 200);
	await expect(card).toHaveAttribute('data-status', 'running', { timeout: 15_000 });
	await card.getByTestId('shared-stop').click();
	await expect(a.getByTestId('job-status')).toHaveAttribute('data-status', 'stopped', { timeout: 15_000 });
	await b.goto('/now-running');
	const stoppedOnB = b.getByTestId('shared-run').filter({ has: b.getByTestId('shared-stopped-by') }).first();
	await expect(stoppedOnB).toHaveAttribute('data-status', 'stopped');
	await expect(stoppedOnB.getByTestId('shared-stopped-by')).toHaveText('Stopped by this phone');
	await a.goto('/now-running');
	const stoppedOnA = a.getByTestId('shared-run').filter({ has: a.getByTestId('shared-stopped-by') }).first();
	await expect(stoppedOnA.getByTestId('shared-stopped-by')).toHaveText('Stopped by iPhone', { timeout: 10_000 });
	await expect(stoppedOnA.getByTestId('shared-owner')).toHaveText('started by this phone');
});
