import { expect, test } from '@playwright/test';
import { readFileSync, writeFileSync } from 'node:fs';
import { LORA_PNG, waitForServiceWorker } from './support/app';

interface ManifestIcon {
	src: string;
	sizes: string;
	purpose?: string;
}

test('the service worker is active and controls the page', async ({ page, context }) => {
	await page.goto('/');
	await waitForServiceWorker(page);
	const state = await page.evaluate(async () => (await navigator.serviceWorker.ready).active?.state);
	expect(state).toBe('activated');
	expect(context.serviceWorkers().some((w) => w.url().endsWith('/sw.js'))).toBe(true);
});

test('the manifest is installable: standalone, icons incl. separate maskable ones, share target', async ({ page, request }) => {
	await page.goto('/');
	const href = await page.locator('link[rel="manifest"]').getAttribute('href');
	expect(href).toBe('/manifest.webmanifest');
	const manifest = await (await request.get(href!)).json();
	expect(manifest).toMatchObject({ name: 'Comfy Pocket', display: 'standalone', start_url: '/', id: '/' });
	expect(manifest.theme_color).toMatch(/^#/);
	const icons = manifest.icons as ManifestIcon[];
	for (const size of ['192x192', '512x512']) {
		expect(icons.some((i) => i.sizes === size && i.purpose === 'any')).toBe(true);
		expect(icons.some((i) => i.sizes === size && i.purpose === 'maskable')).toBe(true);
	}
	expect(icons.some((i) => i.purpose?.includes(' '))).toBe(false);
	for (const icon of icons) {
		const response = await request.get(icon.src);
		expect(response.status(), icon.src).toBe(200);
		expect(response.headers()['content-type']).toContain('image/png');
	}
	for (const shot of manifest.screenshots as { src: string; form_factor: string }[]) {
		expect(shot.form_factor).toBe('narrow');
		expect((await request.get(shot.src)).status(), shot.src).toBe(200);
	}
	expect(manifest.share_target).toMatchObject({ action: '/share-target', method: 'POST', enctype: 'multipart/form-data' });
	expect(manifest.share_target.params.files[0].accept).toContain('image/png');
});

test('a PNG shared into the app (share target POST) lands in the Library', async ({ page }) => {
	await page.goto('/');
	await waitForServiceWorker(page);
	const bytes = [...readFileSync(LORA_PNG)];
	// What Android does on "Share → Comfy Pocket": a multipart POST to the share_target action, caught by the SW.
	const landed = await page.evaluate(async (data) => {
		const form = new FormData();
		form.append('file', new File([new Uint8Array(data)], 'shared-photo.png', { type: 'image/png' }));
		const response = await fetch('/share-target', { method: 'POST', body: form });
		return new URL(response.url).pathname + new URL(response.url).search;
	}, bytes);
	expect(landed).toBe('/?shared=1');
	await page.goto(landed);
	await expect(page.getByTestId('workflow-card').filter({ hasText: 'shared-photo' })).toBeVisible({ timeout: 15_000 });
	await expect(page).toHaveURL(/\/$/);
	// The shared file is imported once: reopening the link does not import it again.
	await page.goto('/?shared=1');
	await expect(page.getByTestId('workflow-card')).toHaveCount(1);
});

// A deploy, simulated by changing the served service worker's bytes (the e2e server serves the build folder);
// Playwright's routing does not see the browser's own service worker update checks.
const SW_FILE = '.svelte-kit/cloudflare/sw.js';

test('a new version shows "Reload" and switches to it only when tapped', async ({ page }) => {
	await page.goto('/');
	await waitForServiceWorker(page);
	const original = readFileSync(SW_FILE, 'utf8');
	try {
		writeFileSync(SW_FILE, `${original}\n// next version\n`);
		// The dev server picks the changed file up after a moment: check for updates until it does.
		await expect
			.poll(
				() =>
					page.evaluate(async () => {
						const registration = await navigator.serviceWorker.ready;
						await registration.update().catch(() => undefined);
						return !!(registration.waiting ?? registration.installing);
					}),
				{ timeout: 20_000, intervals: [500] }
			)
			.toBe(true);
		const toast = page.getByRole('status').filter({ hasText: 'A new version of Comfy Pocket is ready.' });
		await expect(toast).toBeVisible({ timeout: 15_000 });
		// Nothing switched yet: the old version keeps the page until the user says so.
		expect(await page.evaluate(async () => !!(await navigator.serviceWorker.getRegistration())?.waiting)).toBe(true);

		// Reload lets the new worker take over, and the page reloads itself once it controls the page: wait for
		// that load before looking again (the old page's heading is still visible until it happens).
		const reloaded = page.waitForEvent('load', { timeout: 20_000 });
		await toast.getByRole('button', { name: 'Reload' }).click();
		await reloaded;
		await expect(page.getByRole('heading', { name: 'Library' })).toBeVisible();
		await expect
			.poll(() => page.evaluate(async () => !!(await navigator.serviceWorker.getRegistration())?.waiting).catch(() => 'navigating'))
			.toBe(false);
		await expect(toast).toHaveCount(0);
	} finally {
		writeFileSync(SW_FILE, original);
	}
});
