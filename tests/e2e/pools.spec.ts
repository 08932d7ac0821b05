// Several rigs, one queue (issue 11), in Chromium: two emulators of its own — Rig B without the LoraLoader node
// class, Rig A without ImageInvert — added through Settings and made a pool. A workflow with LoRAs runs only on
// Rig A; one that needs both classes (no rig has both) is refused on the form with the routing's reason; a plain
// one, Generate ×8, spreads over both; a rig that goes away while jobs wait there has them moved to the other, the user is told,
// and every job ends (done, or reported lost).
import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { startEmulator, type Emulator } from '../../tools/comfy-emulator/server';
import type { ObjectInfo } from '../../src/lib/comfy/types';
import { addLanServer, FIXTURES, importFile, LORA_PNG } from './support/app';
import { APP_ORIGIN, POOL_RIG_A_PORT, POOL_RIG_B_PORT } from './support/ports';

const PLAIN = path.join(FIXTURES, 'pools/plain-txt2img.json');
const FULL_INFO = JSON.parse(readFileSync(path.resolve('tools/comfy-emulator/assets/object_info.json'), 'utf8')) as ObjectInfo;
const without = (cls: string): ObjectInfo => Object.fromEntries(Object.entries(FULL_INFO).filter(([name]) => name !== cls));
/** lora_multiple with an ImageInvert before SaveImage: Rig A lacks ImageInvert, Rig B lacks LoraLoader. */
const BOTH_CLASSES = path.join(FIXTURES, 'pools/lora-invert.json');

let rigA: Emulator;
let rigB: Emulator;

test.beforeEach(async () => {
	rigA = await startEmulator({ port: POOL_RIG_A_PORT, cors: APP_ORIGIN, stepMs: 25, objectInfo: without('ImageInvert') });
	rigB = await startEmulator({ port: POOL_RIG_B_PORT, cors: APP_ORIGIN, stepMs: 25, objectInfo: without('LoraLoader') });
});
test.afterEach(async () => {
	await Promise.all([rigA?.close(), rigB?.close()]);
});

/** Both rigs added as servers, pooled as "Rigs" and picked as the active server, the way a user does it. */
async function makePool(page: Page): Promise<void> {
	await addLanServer(page, rigA.url, 'Rig A');
	await addLanServer(page, rigB.url, 'Rig B');
	const form = page.getByRole('form', { name: 'New pool' });
	await form.getByLabel('Pool name').fill('Rigs');
	await form.getByRole('checkbox', { name: 'Rig A' }).check();
	await form.getByRole('checkbox', { name: 'Rig B' }).check();
	await form.getByRole('button', { name: 'Create pool' }).click();
	const pool = page.getByTestId('pool').filter({ hasText: 'Rigs' });
	await pool.getByRole('radio').check();
	await expect(page.getByTestId('status-pill')).toHaveText('Pool · 2 of 2 rigs live', { timeout: 15_000 });
	await expect(pool.getByTestId('rig')).toHaveCount(2);
	await expect(pool.locator('[data-testid="rig"][data-state="live"]')).toHaveCount(2, { timeout: 15_000 });
	// The GPU each rig reports in /system_stats.
	await expect(pool.getByTestId('rig').first()).toContainText('emulator (no GPU');
}

async function openWorkflow(page: Page, file: string, name: string, steps: number): Promise<void> {
	await importFile(page, file, name);
	await page.getByRole('button', { name: `Open ${name}` }).click();
	await expect(page.getByRole('heading', { name })).toBeVisible();
	await page.getByLabel('Steps', { exact: true }).fill(String(steps));
}

/** Models the saved workflow names that no rig of the pool has: pick installed ones, as a user would. */
async function pickInstalledModels(page: Page): Promise<void> {
	for (const select of await page.locator('select:has(option:text-matches("not on this server"))').all()) await select.selectOption({ index: 1 });
}

async function generateTimes(page: Page, count: number): Promise<void> {
	for (let i = 1; i < count; i++) await page.getByRole('button', { name: 'More runs' }).click();
	await expect(page.getByLabel('Runs per Generate')).toHaveText(`×${count}`);
	await page.getByRole('button', { name: 'Generate' }).click();
}

const ended = (page: Page) => page.locator('[data-testid="queue-item"]:is([data-status="done"], [data-status="failed"])');

test('a workflow needing a node class only one rig has runs on that rig; one no rig can run says why on the form', async ({ page }) => {
	await makePool(page);
	const [aBefore, bBefore] = [rigA.queuedPromptIds().length, rigB.queuedPromptIds().length];
	// Each class is on one rig, but no rig has both: nothing is sent, and the form says why.
	await openWorkflow(page, BOTH_CLASSES, 'lora-invert', 3);
	await pickInstalledModels(page);
	await page.getByRole('button', { name: 'Generate' }).click();
	await expect(page.getByTestId('run-errors')).toContainText('No rig has everything this workflow needs');
	await expect(page.getByTestId('run-errors')).toContainText('Rig A lacks the node class ImageInvert');
	await expect(page.getByTestId('run-errors')).toContainText('Rig B lacks the node class LoraLoader');
	await expect(page.getByTestId('queue-item')).toHaveCount(0);
	await expect(page.getByTestId('outbox-item')).toHaveCount(0);

	await openWorkflow(page, LORA_PNG, 'lora_multiple', 3);
	await pickInstalledModels(page);
	await page.getByRole('button', { name: 'Generate' }).click();
	const item = page.getByTestId('queue-item');
	await expect(item).toHaveAttribute('data-status', 'done', { timeout: 30_000 });
	await expect(item.getByTestId('queue-rig')).toHaveText('Rig A');
	expect(rigA.queuedPromptIds().length - aBefore).toBe(1);
	expect(rigB.queuedPromptIds().length - bBefore).toBe(0);
});

test('Generate ×8 on two free rigs spreads the batch: each rig runs at least three', async ({ page }) => {
	await makePool(page);
	await openWorkflow(page, PLAIN, 'plain-txt2img', 4);
	await pickInstalledModels(page);
	await generateTimes(page, 8);
	await expect(page.getByTestId('queue-item')).toHaveCount(8);
	await expect(page.locator('[data-testid="queue-item"][data-status="done"]')).toHaveCount(8, { timeout: 60_000 });
	const onA = rigA.queuedPromptIds();
	const onB = rigB.queuedPromptIds();
	expect(onA.length + onB.length).toBe(8);
	expect(onA.length).toBeGreaterThanOrEqual(3);
	expect(onB.length).toBeGreaterThanOrEqual(3);
	expect(Object.keys(rigA.history()).length + Object.keys(rigB.history()).length).toBe(8);
	// Each job says where it ran.
	await expect(page.getByTestId('queue-rig').filter({ hasText: 'Rig A' })).toHaveCount(onA.length);
	await expect(page.getByTestId('queue-rig').filter({ hasText: 'Rig B' })).toHaveCount(onB.length);
});

test('a paused rig gets no runs; Settings shows the other one busy with its queue', async ({ page }) => {
	await makePool(page);
	await page.getByRole('switch', { name: 'Pause Rig B' }).check();
	await expect(page.locator('[data-rig="Rig B"]')).toContainText('paused');
	await openWorkflow(page, PLAIN, 'plain-txt2img', 40);
	await pickInstalledModels(page);
	await generateTimes(page, 4);
	await expect(page.getByTestId('queue-item')).toHaveCount(4);
	// To Settings within the app (the pill links there), while the runs go on.
	await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Library' }).click();
	await page.getByTestId('status-pill').click();
	await expect(page.locator('[data-rig="Rig A"]')).toHaveAttribute('data-state', 'busy');
	await expect(page.locator('[data-rig="Rig A"]')).toContainText(/busy with [1-4] queued/);
	await expect(page.locator('[data-rig="Rig A"]')).toHaveAttribute('data-state', 'live', { timeout: 30_000 });
	expect(rigA.queuedPromptIds()).toHaveLength(4);
	expect(rigB.queuedPromptIds()).toHaveLength(0);
	// Kept on the pool's record.
	await page.reload();
	await expect(page.getByRole('switch', { name: 'Pause Rig B' })).toBeChecked();
});

test('a rig that goes away: its waiting jobs move to the other rig, the user is told, and every job ends', async ({ page }) => {
	await makePool(page);
	await openWorkflow(page, PLAIN, 'plain-txt2img', 20);
	await pickInstalledModels(page);
	await generateTimes(page, 8);
	await expect(page.getByTestId('queue-item')).toHaveCount(8);
	// Wait until Rig B holds at least one job that has not started, then take it away.
	await expect.poll(() => rigB.queuedPromptIds().length, { timeout: 15_000 }).toBeGreaterThanOrEqual(2);
	const onB = rigB.queuedPromptIds();
	await rigB.close();
	await expect(page.getByRole('alert').filter({ hasText: /moved/i }).first()).toBeVisible({ timeout: 30_000 });
	await expect(ended(page)).toHaveCount(8, { timeout: 90_000 });
	// Moved jobs ran on Rig A under their own prompt ids; none ran twice.
	const onA = rigA.queuedPromptIds();
	expect(new Set(onA).size).toBe(onA.length);
	const moved = onB.filter((id) => onA.includes(id));
	expect(moved.length).toBeGreaterThanOrEqual(1);
	// A job that was running on Rig B is reported, not silently retried.
	const failed = page.locator('[data-testid="queue-item"][data-status="failed"]');
	const done = page.locator('[data-testid="queue-item"][data-status="done"]');
	expect((await failed.count()) + (await done.count())).toBe(8);
	await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Library' }).click();
	await expect(page.getByTestId('status-pill')).toHaveText('Pool · 1 of 2 rigs live');
});

test('Settings: a pool is made of two or more servers; removing one leaves the pool saying it is short', async ({ page }) => {
	await addLanServer(page, rigA.url, 'Rig A');
	const form = page.getByRole('form', { name: 'New pool' });
	await expect(form).toHaveCount(0);
	await addLanServer(page, rigB.url, 'Rig B');
	await form.getByLabel('Pool name').fill('Rigs');
	await form.getByRole('checkbox', { name: 'Rig A' }).check();
	await expect(form.getByRole('button', { name: 'Create pool' })).toBeDisabled();
	await form.getByRole('checkbox', { name: 'Rig B' }).check();
	await form.getByRole('button', { name: 'Create pool' }).click();
	const pool = page.getByTestId('pool').filter({ hasText: 'Rigs' });
	await expect(pool.getByTestId('rig')).toHaveText([/Rig A/, /Rig B/]);
	// Renamed, and kept across a reload.
	await pool.getByRole('button', { name: 'Edit Rigs' }).click();
	await pool.getByLabel('Pool name').fill('Home rigs');
	await pool.getByRole('button', { name: 'Save' }).click();
	await page.reload();
	const renamed = page.getByTestId('pool').filter({ hasText: 'Home rigs' });
	await expect(renamed.getByTestId('rig')).toHaveCount(2);
	await page.getByRole('button', { name: 'Remove Rig B' }).click();
	await expect(renamed.getByTestId('rig')).toHaveCount(1);
	await expect(renamed).toContainText('has only one server left (Rig A)');
	await renamed.getByRole('button', { name: 'Delete Home rigs' }).click();
	await expect(page.getByTestId('pool')).toHaveCount(0);
});

test('outbox on a pool: with every rig away the run waits for the pool, and goes to the rig that comes back', async ({ page }) => {
	await makePool(page);
	await openWorkflow(page, PLAIN, 'plain-txt2img', 3);
	await pickInstalledModels(page);
	await Promise.all([rigA.close(), rigB.close()]);
	// Reloaded while every rig is away: the pool has not heard from any rig in this page yet.
	await page.reload();
	await expect(page.getByRole('heading', { name: 'plain-txt2img' })).toBeVisible({ timeout: 15_000 });
	await expect(page.getByTestId('generate-bar')).toContainText('puts the run in the outbox', { timeout: 15_000 });
	await page.getByRole('button', { name: 'Generate' }).click();
	await expect(page.getByTestId('outbox-item')).toHaveCount(1);
	await expect(page.getByTestId('outbox-item')).toContainText('Waiting for Rigs');
	rigB = await startEmulator({ port: POOL_RIG_B_PORT, cors: APP_ORIGIN, stepMs: 25, objectInfo: without('LoraLoader') });
	await expect(page.getByTestId('outbox-item')).toHaveCount(0, { timeout: 30_000 });
	await expect(page.locator('[data-testid="queue-item"][data-status="done"]')).toHaveCount(1, { timeout: 30_000 });
	await expect(page.getByTestId('queue-rig')).toHaveText('Rig B');
	expect(rigB.queuedPromptIds()).toHaveLength(1);
});
