// Accessibility of the states a run goes through and of Settings with servers and a pool (issue 13), light and
// dark: the live run (preview, progress, queue), stopped and cancelled jobs, the gallery and its viewer with the
// parameters open, a value the server refused on its field, the outbox, and Settings → Servers / Pools. Same rules as
// a11y.spec.ts (axe-core WCAG A+AA + target-size, 0 violations).
import { expect, test } from '@playwright/test';
import { expectNoA11yViolations } from './support/a11y';
import { addLanServer, openLora } from './support/app';
import { EMULATOR_2026_URL, EMULATOR_URL } from './support/ports';

for (const theme of ['light', 'dark'] as const) {
	test.describe(`${theme} theme`, () => {
		test.use({ colorScheme: theme });

		test('a run: live view with its queue, stopped jobs, gallery, viewer and parameters', async ({ page }) => {
			await openLora(page, 60);
			await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
			await page.getByRole('button', { name: 'More runs' }).click();
			await page.getByRole('button', { name: 'Generate' }).click();
			await expect(page.getByTestId('step')).toContainText(/step \d+\/60/, { timeout: 15_000 });
			await expect(page.getByTestId('queue-item')).toHaveCount(2);
			await expectNoA11yViolations(page, `live run with a queued job (${theme})`);

			await page.getByRole('button', { name: /^Stop/ }).click();
			await expect(page.getByTestId('queue-item').nth(1)).toHaveAttribute('data-status', 'cancelled', { timeout: 10_000 });
			await expect(page.getByTestId('queue-item').nth(0)).toHaveAttribute('data-status', 'stopped', { timeout: 10_000 });
			await expectNoA11yViolations(page, `stopped and cancelled jobs (${theme})`);

			await page.getByRole('button', { name: 'Fewer runs' }).click();
			await page.getByLabel('Steps', { exact: true }).fill('3');
			await page.getByRole('button', { name: 'Generate' }).click();
			await expect(page.getByTestId('gallery-item')).toHaveCount(1, { timeout: 20_000 });
			await expect(page.getByTestId('queue-item').nth(2)).toHaveAttribute('data-status', 'done');
			await expectNoA11yViolations(page, `run done, gallery (${theme})`);

			await page.getByTestId('gallery-item').click();
			const viewer = page.getByRole('dialog');
			await expect(viewer.getByRole('img', { name: 'Result 1' })).toBeVisible();
			await expectNoA11yViolations(page, `gallery viewer (${theme})`);
			await viewer.getByRole('button', { name: 'Parameters' }).click();
			await expect(page.getByTestId('result-params')).toBeVisible();
			await expectNoA11yViolations(page, `gallery viewer, parameters (${theme})`);
		});

		test('a value the server refused, shown on its field; the outbox while offline', async ({ page, context }) => {
			// The app is told a larger maximum than the server enforces, so only the server's validation catches it.
			await page.route(`${EMULATOR_URL}/api/object_info`, async (route) => {
				const response = await route.fetch();
				const info = await response.json();
				info.KSampler.input.required.steps[1].max = 1_000_000;
				await route.fulfill({ response, json: info });
			});
			await openLora(page, 20_000);
			await page.getByRole('button', { name: 'Generate' }).click();
			await expect(page.getByLabel('Steps', { exact: true })).toHaveAttribute('aria-invalid', 'true', { timeout: 10_000 });
			await expectNoA11yViolations(page, `server error on a field (${theme})`);

			await page.getByLabel('Steps', { exact: true }).fill('4');
			await context.setOffline(true);
			await expect(page.getByTestId('generate-bar')).toContainText('puts the run in the outbox');
			await expectNoA11yViolations(page, `run form offline (${theme})`);
			await page.getByRole('button', { name: 'Generate' }).click();
			await expect(page.getByTestId('outbox-item')).toHaveCount(1);
			await expectNoA11yViolations(page, `outbox on the run screen (${theme})`);
			await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Library' }).click();
			await expect(page.getByTestId('outbox-item')).toHaveCount(1);
			await expectNoA11yViolations(page, `outbox in the library (${theme})`);
		});

		test('Settings with two servers and a pool of them', async ({ page }) => {
			await addLanServer(page, EMULATOR_URL, 'Rig A');
			await addLanServer(page, EMULATOR_2026_URL, 'Rig B');
			await expectNoA11yViolations(page, `settings, two servers (${theme})`);
			const form = page.getByRole('form', { name: 'New pool' });
			await form.getByLabel('Pool name').fill('Rigs');
			await form.getByRole('checkbox', { name: 'Rig A' }).check();
			await form.getByRole('checkbox', { name: 'Rig B' }).check();
			await form.getByRole('button', { name: 'Create pool' }).click();
			const pool = page.getByTestId('pool').filter({ hasText: 'Rigs' });
			await pool.getByRole('radio').check();
			await expect(page.getByTestId('status-pill')).toHaveText('Pool · 2 of 2 rigs live', { timeout: 15_000 });
			await expect(pool.locator('[data-testid="rig"][data-state="live"]')).toHaveCount(2, { timeout: 15_000 });
			await expectNoA11yViolations(page, `settings, an active pool with its rigs (${theme})`);
		});
	});
}
