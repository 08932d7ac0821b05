// "Done" alerts in the built app: the Settings switch and its permission request, a real notification shown through
// the service worker when a run ends while the page is hidden, the app badge, and both cleared on return. Headless
// Chromium shows service worker notifications (and lists them in getNotifications()) once the permission is
// granted; the page's visibility is made "hidden" by overriding document.visibilityState, since a headless page
// cannot really be sent to the background.
import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { openLora } from './support/app';
import { EMULATOR_URL } from './support/ports';

/** Granting through CDP refuses every permission not named, so the LAN emulator's local network access is kept. */
const grantNotifications = (context: BrowserContext) => context.grantPermissions(['notifications', 'local-network-access']);

const alertsSwitch = (page: Page) => page.getByRole('switch', { name: /Notify me when a run finishes/ });

/** Records every setAppBadge/clearAppBadge call (the real ones still run) in window.badgeCalls. */
async function recordBadge(page: Page): Promise<void> {
	await page.addInitScript(() => {
		const calls: string[] = [];
		(window as unknown as { badgeCalls: string[] }).badgeCalls = calls;
		const proto = Navigator.prototype as Navigator & Record<string, unknown>;
		for (const name of ['setAppBadge', 'clearAppBadge'] as const) {
			const original = proto[name] as ((...args: unknown[]) => Promise<void>) | undefined;
			proto[name] = function (this: Navigator, ...args: unknown[]) {
				calls.push(name === 'setAppBadge' ? `set ${String(args[0])}` : 'clear');
				return original ? original.apply(this, args) : Promise.resolve();
			};
		}
	});
}

const badgeCalls = (page: Page) => page.evaluate(() => (window as unknown as { badgeCalls: string[] }).badgeCalls);

async function setVisibility(page: Page, state: 'hidden' | 'visible'): Promise<void> {
	await page.evaluate((wanted) => {
		if (wanted === 'hidden') Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
		else delete (document as unknown as { visibilityState?: string }).visibilityState;
		document.dispatchEvent(new Event('visibilitychange'));
	}, state);
}

function shownNotifications(page: Page) {
	return page.evaluate(async () => {
		const registration = await navigator.serviceWorker.ready;
		return (await registration.getNotifications()).map((n) => ({ title: n.title, body: n.body, tag: n.tag, icon: n.icon, data: n.data as unknown }));
	});
}

/** The prompt the emulator is running now, if any. */
async function runningPrompt(): Promise<string | undefined> {
	const queue = (await (await fetch(`${EMULATOR_URL}/queue`)).json()) as { queue_running: [number, string][] };
	return queue.queue_running[0]?.[1];
}

/**
 * The app shows notifications through its service worker registration, which needs an active worker but not a
 * controlled page (a page whose navigation started while the worker was activating stays uncontrolled, so waiting
 * for control can wait forever).
 */
async function serviceWorkerActive(page: Page): Promise<void> {
	await expect
		.poll(() => page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.active?.state ?? 'none'), { timeout: 30_000 })
		.toBe('activated');
}

async function turnAlertsOn(page: Page): Promise<void> {
	await page.goto('/settings');
	await alertsSwitch(page).click();
	await expect(alertsSwitch(page)).toBeChecked();
}

async function generateAndWait(page: Page): Promise<void> {
	const before = await page.getByTestId('gallery-item').count();
	await page.getByRole('button', { name: 'Generate' }).click();
	await expect(page.getByTestId('gallery-item')).toHaveCount(before + 1, { timeout: 30_000 });
	await expect(page.getByTestId('job-status')).toHaveAttribute('data-status', 'done');
}

test('with alerts on, a run that ends in sight alerts nothing; one that ends in the background shows one Done notification and a badge, both cleared on return', async ({
	page,
	context
}) => {
	await grantNotifications(context);
	await recordBadge(page);
	await turnAlertsOn(page);
	await openLora(page, 8);
	await serviceWorkerActive(page);
	const workflowId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop()!);

	await generateAndWait(page);
	// The decision and the badge count happen in the same task that marks the job done, before the page shows it.
	expect((await badgeCalls(page)).filter((c) => c.startsWith('set'))).toEqual([]);
	expect(await shownNotifications(page)).toEqual([]);

	await setVisibility(page, 'hidden');
	await generateAndWait(page);
	await expect.poll(() => shownNotifications(page), { timeout: 15_000 }).toHaveLength(1);
	const [shown] = await shownNotifications(page);
	expect(shown).toMatchObject({ title: 'lora_multiple', body: 'Done — 1 image', tag: `run-done:${workflowId}`, data: { url: `/run/${workflowId}` } });
	expect(shown.icon).toMatch(/\/icon-192\.png$/);
	expect((await badgeCalls(page)).filter((c) => c.startsWith('set'))).toEqual(['set 1']);

	await setVisibility(page, 'visible');
	await expect.poll(() => shownNotifications(page), { timeout: 15_000 }).toEqual([]);
	expect((await badgeCalls(page)).at(-1)).toBe('clear');
});

test('a batch of four that ends in the background becomes one notification that sums it up, and a badge of four', async ({ page, context }) => {
	test.setTimeout(90_000);
	await grantNotifications(context);
	await recordBadge(page);
	await turnAlertsOn(page);
	await openLora(page, 4);
	await serviceWorkerActive(page);
	await setVisibility(page, 'hidden');
	// Holding Generate queues four runs.
	const button = (await page.getByRole('button', { name: 'Generate' }).boundingBox())!;
	await page.mouse.move(button.x + button.width / 2, button.y + button.height / 2);
	await page.mouse.down();
	await expect(page.getByTestId('queue-item')).toHaveCount(4, { timeout: 10_000 });
	await page.mouse.up();
	await expect(page.getByTestId('gallery-item')).toHaveCount(4, { timeout: 45_000 });
	await expect.poll(async () => (await shownNotifications(page)).map((n) => n.body), { timeout: 15_000 }).toEqual(['4 runs done — 4 images']);
	expect((await badgeCalls(page)).filter((c) => c.startsWith('set'))).toEqual(['set 1', 'set 2', 'set 3', 'set 4']);
});

test('a Web Push the relay showed first for the same run gives way to the page’s own notification', async ({ page, context }) => {
	await grantNotifications(context);
	await turnAlertsOn(page);
	// A long run (150 steps of the emulator's 60 ms): the push is shown while the emulator is still running it, so it
	// surely comes first (as when the relay hears of the end while the phone is still fetching the images).
	// Ordered by the server rather than by holding the page's requests: Playwright's page.route does not intercept
	// requests that the service worker intercepts, and this page may or may not be controlled yet.
	test.setTimeout(90_000);
	await openLora(page, 150);
	await serviceWorkerActive(page);
	const workflowId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop()!);
	await setVisibility(page, 'hidden');
	await page.getByRole('button', { name: 'Generate' }).click();
	let promptId = '';
	await expect.poll(async () => (promptId = (await runningPrompt()) ?? ''), { timeout: 30_000 }).not.toBe('');
	await page.evaluate(async (id) => {
		const registration = await navigator.serviceWorker.ready;
		await registration.showNotification('lora_multiple', { body: 'Done', tag: `push:${id}`, data: { url: '/history' } });
	}, promptId);
	expect((await shownNotifications(page)).map((n) => n.tag)).toEqual([`push:${promptId}`]);
	expect(await runningPrompt(), 'the run was still going when the push was shown').toBe(promptId);
	await expect
		.poll(async () => (await shownNotifications(page)).map((n) => [n.tag, n.body]), { timeout: 45_000 })
		.toEqual([[`run-done:${workflowId}`, 'Done — 1 image']]);
	expect((await shownNotifications(page))[0].data).toEqual({ url: `/run/${workflowId}`, promptIds: [promptId] });
});

test('the switch stays on across a reload once the permission is granted, and turns off', async ({ page, context }) => {
	await grantNotifications(context);
	await turnAlertsOn(page);
	await page.reload();
	await expect(alertsSwitch(page)).toBeChecked();
	await alertsSwitch(page).click();
	await expect(alertsSwitch(page)).not.toBeChecked();
	await page.reload();
	await expect(alertsSwitch(page)).not.toBeChecked();
	await expect(page.getByTestId('alerts-note')).toHaveCount(0);
});

test('a refused permission leaves the switch off and says how to allow notifications', async ({ page }) => {
	// Headless Chromium denies the prompt by itself; pinning the answer keeps the test from depending on that.
	await page.addInitScript(() => {
		Notification.requestPermission = () => Promise.resolve('denied');
	});
	await page.goto('/settings');
	await expect(page.getByTestId('alerts-note')).toHaveCount(0);
	await alertsSwitch(page).click();
	await expect(page.getByTestId('alerts-note')).toContainText('Notifications are blocked for this app');
	await expect(page.getByTestId('alerts-note')).toContainText('App info → Notifications');
	await expect(alertsSwitch(page)).not.toBeChecked();
	await page.reload();
	await expect(alertsSwitch(page)).not.toBeChecked();
});

test('the switch travels in the backup file and is back on at once after an import', async ({ page, context }) => {
	await grantNotifications(context);
	await turnAlertsOn(page);
	const downloading = page.waitForEvent('download');
	await page.getByRole('button', { name: 'Export everything' }).click();
	const backup = await (await downloading).path();
	await alertsSwitch(page).click();
	await expect(alertsSwitch(page)).not.toBeChecked();
	await page.getByTestId('backup-input').setInputFiles(backup);
	await expect(page.getByRole('status').filter({ hasText: 'Imported' })).toBeVisible();
	await expect(alertsSwitch(page)).toBeChecked();
});
