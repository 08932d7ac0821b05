// The outbox in Chromium: Generate while offline puts runs in the outbox (shown with the server's name), and once
// the phone is back online each is sent exactly once and its result arrives; also across a reload while offline,
// and when the server queues a run but its answer is lost. A dedicated emulator counts every prompt_id it queued.
import { expect, test, type Page } from '@playwright/test';
import { startEmulator, type Emulator } from '../../tools/comfy-emulator/server';
import { addLanServer, importFile, LORA_PNG, screenshot, waitForServiceWorker } from './support/app';
import { APP_ORIGIN, APP_PORT } from './support/ports';

let emulator: Emulator;

test.beforeAll(async () => {
	emulator = await startEmulator({ port: APP_PORT + 3, stepMs: 20, cors: APP_ORIGIN });
});
test.afterAll(async () => {
	await emulator?.close();
});

/** The lora workflow's Run screen on the dedicated emulator, with installed models and a short run. */
async function openRun(page: Page): Promise<void> {
	await addLanServer(page, emulator.url);
	await importFile(page, LORA_PNG, 'lora_multiple');
	await page.getByRole('button', { name: 'Open lora_multiple' }).click();
	await expect(page.getByRole('heading', { name: 'lora_multiple' })).toBeVisible();
	for (const select of await page.locator('select:has(option:text-matches("not on this server"))').all()) {
		await select.selectOption({ index: 1 });
	}
	await page.getByLabel('Steps', { exact: true }).fill('4');
}

const newIds = (before: number) => emulator.queuedPromptIds().slice(before);

test('offline, Generate twice fills the outbox; back online, each run is sent once and its result arrives', async ({ page, context }) => {
	await openRun(page);
	const before = emulator.queuedPromptIds().length;
	await context.setOffline(true);
	await expect(page.getByTestId('generate-bar')).toContainText('puts the run in the outbox');
	await page.getByRole('button', { name: 'Generate' }).click();
	await page.getByRole('button', { name: 'Generate' }).click();
	const items = page.getByTestId('outbox-item');
	await expect(items).toHaveCount(2);
	await expect(items.first()).toContainText(/Waiting for .+ — will send when it answers/);
	await expect(page.getByTestId('queue-item')).toHaveCount(0);
	await screenshot(page, 'run-outbox');
	// The Library lists them too, with the workflow's name.
	await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Library' }).click();
	await expect(page.getByTestId('outbox-item')).toHaveCount(2);
	await expect(page.getByTestId('outbox-item').first()).toContainText('lora_multiple · Run');
	expect(newIds(before)).toEqual([]);

	await page.goBack();
	await context.setOffline(false);
	await expect(page.getByTestId('outbox-item')).toHaveCount(0, { timeout: 20_000 });
	await expect(page.locator('[data-testid="queue-item"][data-status="done"]')).toHaveCount(2, { timeout: 30_000 });
	await expect(page.getByTestId('gallery-item')).toHaveCount(2);
	const sent = newIds(before);
	expect(sent).toHaveLength(2);
	expect(new Set(sent).size).toBe(2);
	for (const id of sent) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
});

test('runs put in the outbox survive a reload while offline and are sent once when the phone is back', async ({ page, context }) => {
	await openRun(page);
	await waitForServiceWorker(page);
	const before = emulator.queuedPromptIds().length;
	await context.setOffline(true);
	await page.getByRole('button', { name: 'Generate' }).click();
	await page.getByRole('button', { name: 'Generate' }).click();
	await expect(page.getByTestId('outbox-item')).toHaveCount(2);
	await page.reload();
	await expect(page.getByRole('heading', { name: 'lora_multiple' })).toBeVisible({ timeout: 15_000 });
	await expect(page.getByTestId('outbox-item')).toHaveCount(2);
	expect(newIds(before)).toEqual([]);

	await context.setOffline(false);
	await expect(page.locator('[data-testid="queue-item"][data-status="done"]')).toHaveCount(2, { timeout: 30_000 });
	await expect(page.getByTestId('outbox-item')).toHaveCount(0);
	const sent = newIds(before);
	expect(sent).toHaveLength(2);
	expect(new Set(sent).size).toBe(2);
});

test('a send whose answer is lost is asked about by its prompt_id and not sent twice', async ({ page, context }) => {
	await openRun(page);
	const before = emulator.queuedPromptIds().length;
	const posts: string[] = [];
	page.on('request', (request) => {
		if (request.method() === 'POST' && request.url().endsWith('/api/prompt')) posts.push(request.url());
	});
	await context.setOffline(true);
	await page.getByRole('button', { name: 'Generate' }).click();
	await expect(page.getByTestId('outbox-item')).toHaveCount(1);
	emulator.losePromptAnswers(1);
	await context.setOffline(false);
	// The emulator queued it and cut the answer: the outbox cannot know, says so, and asks before any re-send.
	await expect(page.getByTestId('outbox-item')).toHaveAttribute('data-status', 'uncertain', { timeout: 15_000 });
	await expect(page.getByTestId('outbox-item')).toContainText('asking whether it arrived');
	await expect(page.locator('[data-testid="queue-item"][data-status="done"]')).toHaveCount(1, { timeout: 30_000 });
	await expect(page.getByTestId('outbox-item')).toHaveCount(0);
	await expect(page.getByTestId('gallery-item')).toHaveCount(1);
	// The page posted it once; the server queued it once.
	expect(posts).toHaveLength(1);
	expect(newIds(before)).toHaveLength(1);
	// A later chance to send (Send now is gone with the entry; a reload starts the app again) sends nothing more.
	await page.reload();
	await expect(page.locator('[data-testid="queue-item"]')).toHaveCount(0, { timeout: 10_000 });
	expect(newIds(before)).toHaveLength(1);
});
