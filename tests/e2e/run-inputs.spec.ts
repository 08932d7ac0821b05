// The Run screen's other duties: image inputs (gallery pick, finger-drawn mask), the form editor, keyboard
// shortcuts, and offline behaviour. Against the ComfyUI emulator; screenshots go to docs/screenshots/.
import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { addLanServer, FIXTURES, importFile, LORA_PNG, screenshot, waitForServiceWorker } from './support/app';
import { EMULATOR_URL } from './support/ports';

async function openInpaint(page: Page): Promise<void> {
	await addLanServer(page);
	await page.goto('/');
	const workflow = readFileSync(path.join(FIXTURES, 'corpus/workflows/flux__flux_fill_inpaint_example.workflow.json'));
	await page.getByTestId('import-input').setInputFiles({ name: 'inpaint.json', mimeType: 'application/json', buffer: workflow });
	await page.getByRole('button', { name: 'Open inpaint' }).click();
	await expect(page.getByRole('heading', { name: 'inpaint' })).toBeVisible();
}

async function openLora(page: Page): Promise<void> {
	await addLanServer(page);
	await importFile(page, LORA_PNG, 'lora_multiple');
	await page.getByRole('button', { name: 'Open lora_multiple' }).click();
	await expect(page.getByRole('heading', { name: 'lora_multiple' })).toBeVisible();
}

test('a picture from the device is uploaded into the image input, and a drawn mask becomes its alpha', async ({ page }) => {
	await openInpaint(page);
	const field = page.locator('.field').filter({ has: page.getByRole('button', { name: 'Draw mask' }) });
	await field.locator('input[type=file]:not([capture])').setInputFiles(LORA_PNG);
	await expect(field.locator('output')).toHaveText('lora_multiple.png', { timeout: 10_000 });

	await field.getByRole('button', { name: 'Draw mask' }).click();
	const editor = page.getByRole('dialog', { name: 'Draw the area to repaint' });
	const canvas = editor.getByLabel('Drawing area: paint over what should be regenerated');
	await expect(canvas).toBeVisible();
	const box = (await canvas.boundingBox())!;
	await page.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.3);
	await page.mouse.down();
	for (let i = 1; i <= 10; i++) await page.mouse.move(box.x + box.width * (0.3 + i * 0.04), box.y + box.height * 0.5);
	await page.mouse.up();
	await screenshot(page, 'run-mask');
	await editor.getByRole('button', { name: 'Use mask' }).click();
	await expect(field.locator('output')).toHaveText('lora_multiple-mask.png', { timeout: 10_000 });

	// What the server received: an RGBA PNG whose painted area is transparent (LoadImage reads the mask from it).
	const alpha = await page.evaluate(async (url) => {
		const blob = await (await fetch(`${url}/api/view?filename=lora_multiple-mask.png&type=input`)).blob();
		const bitmap = await createImageBitmap(blob);
		const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
		const ctx = canvas.getContext('2d')!;
		ctx.drawImage(bitmap, 0, 0);
		const at = (x: number, y: number) => ctx.getImageData(Math.round(bitmap.width * x), Math.round(bitmap.height * y), 1, 1).data[3];
		return { painted: at(0.5, 0.5), untouched: at(0.1, 0.9) };
	}, EMULATOR_URL);
	expect(alpha).toEqual({ painted: 0, untouched: 255 });
});

test('the form editor hides, renames and reorders fields, and keeps that per workflow', async ({ page }) => {
	await openLora(page);
	await page.getByRole('button', { name: 'Edit form' }).click();
	const editor = page.getByRole('region', { name: 'Edit form' });
	await editor.getByLabel('Label for KSampler › steps').fill('Quality steps');
	await editor.getByLabel('Label for KSampler › steps').press('Tab');
	await editor.getByRole('button', { name: 'Move Quality steps up' }).click();
	await editor.locator('li').filter({ hasText: 'KSampler › cfg' }).getByLabel('Show').uncheck();
	await screenshot(page, 'run-form-editor');
	await page.getByRole('button', { name: 'Done' }).click();

	const form = page.getByRole('form', { name: 'Workflow inputs' });
	await expect(form.getByLabel('Quality steps', { exact: true })).toBeVisible();
	await expect(form.getByLabel('CFG', { exact: true })).toHaveCount(0);
	const labels = await form.locator('.front > .field-box > .field > label').allTextContents();
	expect(labels.indexOf('Quality steps')).toBeLessThan(labels.indexOf('Seed'));

	await page.reload();
	await expect(form.getByLabel('Quality steps', { exact: true })).toBeVisible();
	await expect(form.getByLabel('CFG', { exact: true })).toHaveCount(0);
});

test('Ctrl+Enter generates and Esc stops', async ({ page }) => {
	await openLora(page);
	for (const select of await page.locator('select:has(option:text-matches("not on this server"))').all()) {
		await select.selectOption({ index: 1 });
	}
	await page.getByLabel('Steps', { exact: true }).fill('80');
	await page.getByRole('heading', { name: 'lora_multiple' }).click();
	await page.keyboard.press('Control+Enter');
	await expect(page.getByTestId('step')).toBeVisible({ timeout: 15_000 });
	await page.keyboard.press('Escape');
	await expect(page.getByTestId('queue-item').first()).toHaveAttribute('data-status', 'stopped', { timeout: 10_000 });
});

test('offline, the form still opens from the device and Generate puts the run in the outbox', async ({ page, context }) => {
	await openLora(page);
	await waitForServiceWorker(page);
	await context.setOffline(true);
	await page.reload();
	await expect(page.getByLabel('Prompt', { exact: true })).toHaveValue(/masterpiece best quality girl/, { timeout: 15_000 });
	await expect(page.getByTestId('generate-bar')).toContainText('You are offline: Generate puts the run in the outbox');
	await page.getByRole('button', { name: 'Generate' }).click();
	await expect(page.getByTestId('outbox-item')).toHaveCount(1);
	await expect(page.getByTestId('queue-item')).toHaveCount(0);
	await screenshot(page, 'run-offline');
	// Cancelled while offline, it never reaches the server (tests/e2e/outbox.spec.ts sends them).
	await page.getByRole('button', { name: 'Cancel Run' }).click();
	await expect(page.getByTestId('outbox-item')).toHaveCount(0);
	await context.setOffline(false);
});

test('a model chosen on the Models screen comes back into the picker that asked for it', async ({ page }) => {
	await openLora(page);
	const picker = page.getByLabel('Checkpoint', { exact: true });
	const current = await picker.inputValue();
	await page.locator('.field').filter({ has: picker }).getByRole('link', { name: 'Browse' }).click();
	await expect(page).toHaveURL(/\/models\?pick=/);
	const other = page.getByRole('button', { name: /\.safetensors$/ }).filter({ hasNotText: current }).first();
	const chosen = (await other.textContent())!.trim();
	await other.click();
	await expect(page).toHaveURL(/\/run\//);
	await expect(page.getByLabel('Checkpoint', { exact: true })).toHaveValue(chosen);
});

test('an audio output lands in the gallery and plays in the viewer', async ({ page, request }) => {
	const info = await (await request.get(`${EMULATOR_URL}/api/object_info/CheckpointLoaderSimple`)).json();
	const checkpoint = info.CheckpointLoaderSimple.input.required.ckpt_name[0][0];
	const prompt = {
		'1': { class_type: 'CheckpointLoaderSimple', inputs: { ckpt_name: checkpoint } },
		'2': { class_type: 'EmptyLatentAudio', inputs: { seconds: 2, batch_size: 1 } },
		'3': { class_type: 'CLIPTextEncode', inputs: { text: 'soft drums', clip: ['1', 1] } },
		'4': {
			class_type: 'KSampler',
			inputs: { model: ['1', 0], positive: ['3', 0], negative: ['3', 0], latent_image: ['2', 0], seed: 1, steps: 4, cfg: 5, sampler_name: 'euler', scheduler: 'normal', denoise: 1 }
		},
		'5': { class_type: 'VAEDecodeAudio', inputs: { samples: ['4', 0], vae: ['1', 2] } },
		'6': { class_type: 'SaveAudio', inputs: { audio: ['5', 0], filename_prefix: 'audio/pocket' } }
	};
	await addLanServer(page);
	await page.goto('/');
	await page.getByTestId('import-input').setInputFiles({ name: 'drums.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(prompt)) });
	await page.getByRole('button', { name: 'Open drums' }).click();
	await page.getByRole('button', { name: 'Generate' }).click();
	const item = page.getByTestId('gallery-item');
	await expect(item).toHaveCount(1, { timeout: 20_000 });
	await expect(item).toContainText('audio');
	await item.click();
	const audio = page.getByRole('dialog').locator('audio');
	await expect(audio).toHaveAttribute('controls', '');
	await expect.poll(() => audio.evaluate((a: HTMLAudioElement) => (a.readyState >= 1 ? a.duration : 0))).toBeGreaterThan(0);
});
