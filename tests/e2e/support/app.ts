// Helpers shared by the e2e specs: adding the emulator as a LAN server through Settings, importing fixtures
// through the Library's file picker, seeding results straight into the app's IndexedDB, and screenshots.
import { expect, type Locator, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { EMULATOR_URL } from './ports';

export const FIXTURES = path.resolve('tests/fixtures');
export const LORA_PNG = path.join(FIXTURES, 'corpus/media/lora_multiple.png');

/** Adds a LAN server the way a user does (Settings → address → name → Test → Add) and waits until it is live. */
export async function addLanServer(page: Page, url = EMULATOR_URL, name?: string): Promise<void> {
	await page.goto('/settings');
	await page.getByLabel('ComfyUI address').fill(url);
	if (name !== undefined) await page.getByLabel('Name (optional)').fill(name);
	await page.getByRole('button', { name: 'Test connection' }).click();
	await expect(page.getByTestId('diagnosis')).toHaveAttribute('data-kind', 'connected', { timeout: 15_000 });
	await page.getByRole('button', { name: 'Add server' }).click();
	await expect(page.getByTestId('status-pill')).toContainText('live', { timeout: 15_000 });
}

/** Imports a file through the Library's picker and waits for its card. */
export async function importFile(page: Page, file: string, expectedName: string): Promise<void> {
	await page.goto('/');
	await page.getByTestId('import-input').setInputFiles(file);
	await expect(page.getByTestId('workflow-card').filter({ hasText: expectedName })).toBeVisible({ timeout: 15_000 });
}

/** Opens the imported workflow's Run screen with models the emulator has and a short run. */
export async function openLora(page: Page, steps: number, server = EMULATOR_URL): Promise<void> {
	await addLanServer(page, server);
	await importFile(page, LORA_PNG, 'lora_multiple');
	await page.getByRole('button', { name: 'Open lora_multiple' }).click();
	await expect(page).toHaveURL(/\/run\//);
	await expect(page.getByRole('heading', { name: 'lora_multiple' })).toBeVisible();
	// The PNG names models this server lacks: pick installed ones, as a user would.
	for (const select of await page.locator('select:has(option:text-matches("not on this server"))').all()) {
		await select.selectOption({ index: 1 });
	}
	await page.getByLabel('Steps', { exact: true }).fill(String(steps));
}

export interface SeededResult {
	workflowId: string;
	resultId: string;
}

/**
 * Puts a workflow and one result (the fixture PNG as its image) into the app's database, as the Run screen
 * would after a generation. The app must have opened the database once (any page load does).
 */
export async function seedResult(page: Page, workflowName = 'Seeded workflow'): Promise<SeededResult> {
	const png = [...readFileSync(LORA_PNG)];
	return page.evaluate(
		async ({ bytes, name }) => {
			const db = await new Promise<IDBDatabase>((resolve, reject) => {
				const req = indexedDB.open('comfy-pocket');
				req.onsuccess = () => resolve(req.result);
				req.onerror = () => reject(req.error);
			});
			const blob = new Blob([new Uint8Array(bytes)], { type: 'image/png' });
			const now = Date.now();
			const workflowId = `seed-${now}`;
			const resultId = `result-${now}`;
			const tx = db.transaction(['workflows', 'results'], 'readwrite');
			tx.objectStore('workflows').put({ id: workflowId, name, createdAt: now, updatedAt: now, source: { prompt: {} }, thumbnail: blob });
			tx.objectStore('results').put({
				id: resultId,
				workflowId,
				promptId: `prompt-${now}`,
				createdAt: now,
				serverId: 'seed',
				params: { values: { '3.seed': 42, '6.text': 'a lighthouse at dusk' }, prompt: {} },
				files: [{ kind: 'image', mime: 'image/png', blob, thumb: blob, filename: 'seed.png', nodeId: '9', width: 512, height: 512 }]
			});
			await new Promise((resolve, reject) => {
				tx.oncomplete = resolve;
				tx.onerror = () => reject(tx.error);
			});
			db.close();
			return { workflowId, resultId };
		},
		{ bytes: png, name: workflowName }
	);
}

/**
 * Waits until the service worker controls the page (the app shell is precached). A page that finished loading while
 * the worker was still activating is never claimed by it (clients.claim() only takes the pages there at that moment):
 * then one reload, which the active worker controls, as it would on the user's next start.
 */
export async function waitForServiceWorker(page: Page): Promise<void> {
	const controlled = () =>
		page.evaluate(async () => {
			const registration = await navigator.serviceWorker.ready;
			if (navigator.serviceWorker.controller) return true;
			return new Promise<boolean>((resolve) => {
				navigator.serviceWorker.addEventListener('controllerchange', () => resolve(true), { once: true });
				const activated = () => registration.active?.state === 'activated';
				if (activated()) setTimeout(() => resolve(!!navigator.serviceWorker.controller), 2000);
				else registration.active?.addEventListener('statechange', () => activated() && setTimeout(() => resolve(!!navigator.serviceWorker.controller), 2000));
			});
		});
	if (await controlled()) return;
	await page.reload();
	expect(await controlled()).toBe(true);
}

export interface ScreenshotOptions {
	/** Where the page is scrolled first (instantly): its top, or an element brought to the top of the view. */
	scrollTo?: 'top' | Locator;
}

/**
 * Saves docs/screenshots/<name>.png once any scrolling (the app's own smooth scrolls included) has come to rest,
 * so the picture shows what it is named for rather than a moment of a scroll.
 */
export async function screenshot(page: Page, name: string, options: ScreenshotOptions = {}): Promise<void> {
	if (options.scrollTo === 'top') await page.evaluate(() => window.scrollTo({ top: 0, behavior: 'instant' }));
	else if (options.scrollTo) await options.scrollTo.evaluate((el) => el.scrollIntoView({ block: 'start', behavior: 'instant' }));
	await scrollAtRest(page);
	await page.screenshot({ path: `docs/screenshots/${name}.png` });
}

/** Resolves when the page has not scrolled for five display frames in a row. */
async function scrollAtRest(page: Page): Promise<void> {
	await page.evaluate(
		() =>
			new Promise<void>((resolve) => {
				let last = window.scrollY;
				let still = 0;
				const check = () => {
					still = window.scrollY === last ? still + 1 : 0;
					last = window.scrollY;
					if (still >= 5) resolve();
					else requestAnimationFrame(check);
				};
				requestAnimationFrame(check);
			})
	);
}
