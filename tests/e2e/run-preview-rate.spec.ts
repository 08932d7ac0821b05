// "The display keeps up with the ~75 frames/s the real server can emit on fast steps": a dedicated emulator
// stepping every 13 ms, a long run, and what the page drew, measured in the page itself.
import { expect, test } from '@playwright/test';
import { startEmulator, type Emulator } from '../../tools/comfy-emulator/server';
import { addLanServer, importFile, LORA_PNG } from './support/app';
import { APP_ORIGIN } from './support/ports';

const STEPS = 300;
let emulator: Emulator;

test.beforeAll(async () => {
	emulator = await startEmulator({ stepMs: 13, cors: APP_ORIGIN });
});
test.afterAll(async () => {
	await emulator?.close();
});

test('fast previews are drawn as they come while the page stays responsive', async ({ page }) => {
	test.setTimeout(90_000);
	let previewFrames = 0;
	page.on('websocket', (ws) => ws.on('framereceived', (frame) => typeof frame.payload !== 'string' && previewFrames++));
	await addLanServer(page, emulator.url);
	await importFile(page, LORA_PNG, 'lora_multiple');
	await page.getByRole('button', { name: 'Open lora_multiple' }).click();
	for (const select of await page.locator('select:has(option:text-matches("not on this server"))').all()) {
		await select.selectOption({ index: 1 });
	}
	await page.getByLabel('Steps', { exact: true }).fill(String(STEPS));
	await page.evaluate(() => {
		const probe = { longTasks: 0, longest: 0, displayFrames: 0, firstAt: 0, lastAt: 0 };
		(window as unknown as { probe: typeof probe }).probe = probe;
		new PerformanceObserver((list) => {
			for (const entry of list.getEntries()) {
				probe.longTasks++;
				probe.longest = Math.max(probe.longest, entry.duration);
			}
		}).observe({ type: 'longtask', buffered: false });
		// Display frames are counted only while the job runs (not during queueing or saving).
		const tick = () => {
			if (document.querySelector('[data-testid=job-status][data-status=running]')) {
				probe.displayFrames++;
				probe.firstAt ||= performance.now();
				probe.lastAt = performance.now();
			}
			requestAnimationFrame(tick);
		};
		requestAnimationFrame(tick);
	});
	const started = Date.now();
	await page.getByRole('button', { name: 'Generate' }).click();
	await expect(page.getByTestId('job-status')).toHaveAttribute('data-status', 'done', { timeout: 60_000 });
	const seconds = (Date.now() - started) / 1000;
	const drawn = Number(await page.locator('[data-drawn]').getAttribute('data-drawn'));
	type Probe = { longTasks: number; longest: number; displayFrames: number; firstAt: number; lastAt: number };
	const probe = await page.evaluate(() => (window as unknown as { probe: Probe }).probe);
	const running = (probe.lastAt - probe.firstAt) / 1000;
	console.log(
		`previews: ${previewFrames} received (${(previewFrames / running).toFixed(0)}/s while running), ${drawn} drawn; ` +
			`display ${(probe.displayFrames / running).toFixed(0)} frames/s; ${probe.longTasks} long tasks, longest ` +
			`${probe.longest.toFixed(0)} ms; run ${running.toFixed(1)} s of ${seconds.toFixed(1)} s`
	);
	expect(previewFrames).toBeGreaterThanOrEqual(STEPS * 0.9);
	// Frames beyond the display's own rate are dropped on purpose; the rest must be drawn.
	expect(drawn).toBeGreaterThanOrEqual(0.5 * Math.min(previewFrames, probe.displayFrames));
	expect(probe.longest).toBeLessThan(250);
});
