// Today's ComfyUI (emulator --profile 2026, = captures-2026): a workflow saved in App Mode opens as that app, and
// a V3 dynamic combo swaps its sub-fields live and is sent as the flat dotted keys the server validates.
import { expect, test, type Page } from '@playwright/test';
import path from 'node:path';
import { FIXTURES, addLanServer, importFile } from './support/app';
import { EMULATOR_2026_URL } from './support/ports';

const APP_MODE_FILE = path.join(FIXTURES, 'modern/workflows/fe-app-mode-basic.json');
const RESIZE_FILE = path.join(FIXTURES, 'modern/e2e/resize-v3.json');

async function open(page: Page, file: string, name: string): Promise<void> {
	await addLanServer(page, EMULATOR_2026_URL);
	await importFile(page, file, name);
	await page.getByRole('button', { name: `Open ${name}` }).click();
	await expect(page).toHaveURL(/\/run\//);
	await expect(page.getByRole('heading', { name })).toBeVisible();
}

const frontLabels = (page: Page) =>
	page.locator('.fields .front .field-box').evaluateAll((boxes) => boxes.map((b) => b.querySelector('label, legend')?.textContent?.trim() ?? ''));

async function generatedOnce(page: Page): Promise<void> {
	await expect(page.getByTestId('job-status')).toHaveAttribute('data-status', 'done', { timeout: 30_000 });
	await expect(page.getByTestId('gallery-item')).toHaveCount(1);
}

test('an App Mode workflow opens as its app: exactly its inputs in order, then generates', async ({ page }) => {
	await open(page, APP_MODE_FILE, 'fe-app-mode-basic');
	await expect.poll(() => frontLabels(page)).toEqual(['Seed', 'Steps', 'CFG']);
	await expect(page.getByLabel('Steps', { exact: true })).toHaveValue('20');
	// The rest of the workflow is not shown, only pointed at.
	await expect(page.getByText(/more settings are available in “Edit form”/)).toBeVisible();
	await expect(page.getByLabel('Prompt')).toHaveCount(0);

	await page.getByLabel('Steps', { exact: true }).fill('3');
	await page.getByRole('button', { name: 'Generate' }).click();
	// The file names a checkpoint this server lacks: its field comes forward with the message, as a user sees it.
	const checkpoint = page.getByLabel('Checkpoint', { exact: true });
	await expect(checkpoint).toHaveAttribute('aria-invalid', 'true');
	await checkpoint.selectOption({ index: 1 });
	await page.getByRole('button', { name: 'Generate' }).click();
	await generatedOnce(page);
});

test('a V3 dynamic combo swaps its sub-fields live and the server runs the dotted keys', async ({ page }) => {
	await open(page, RESIZE_FILE, 'resize-v3');
	await page.getByText('Advanced', { exact: true }).click();
	const resize = page.getByRole('group', { name: 'Resize' });
	const type = resize.getByLabel('Resize type');
	await expect(type).toHaveValue('scale dimensions');
	// Touch targets of at least 44 px (ux-notes §1).
	expect((await type.boundingBox())?.height).toBeGreaterThanOrEqual(44);
	await expect(resize.getByLabel('Width', { exact: true })).toHaveValue('256');
	await resize.getByLabel('Width', { exact: true }).fill('200');

	await type.selectOption('scale by multiplier');
	await expect(resize.getByLabel('Width', { exact: true })).toHaveCount(0);
	await expect(resize.getByLabel('Crop')).toHaveCount(0);
	await expect(resize.getByLabel('Multiplier', { exact: true })).toHaveValue('1');
	await type.selectOption('scale dimensions');
	// Switching back finds what was typed for that option.
	await expect(resize.getByLabel('Width', { exact: true })).toHaveValue('200');
	await type.selectOption('scale by multiplier');
	await resize.getByLabel('Multiplier', { exact: true }).fill('0.5');

	const sent = page.waitForRequest((r) => r.method() === 'POST' && new URL(r.url()).pathname.endsWith('/prompt'));
	await page.getByRole('button', { name: 'Generate' }).click();
	const body = (await sent).postDataJSON() as { prompt: Record<string, { inputs: Record<string, unknown> }> };
	expect(body.prompt['2'].inputs).toEqual({ resize_type: 'scale by multiplier', 'resize_type.multiplier': 0.5, scale_method: 'area', input: ['1', 0] });
	await generatedOnce(page);
});
