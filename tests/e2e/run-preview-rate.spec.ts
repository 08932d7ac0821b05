// "Fast previews reach the live canvas": a dedicated emulator stepping every 13 ms (~75 previews/s, the fastest
// real stream) and a long run. Only what cannot fail on a slow, shared machine is asserted here: the frames arrive,
// many distinct ones are drawn, the job finishes. How well the display keeps up (drawn vs display rate, longest
// task, heap) is a speed target and lives in the benchmark: `npm run bench -- preview` (tools/bench/preview.bench.ts).
import { expect, test } from '@playwright/test';
import { startEmulator, type Emulator } from '../../tools/comfy-emulator/server';
import { runFastPreviews } from '../../tools/bench/support/fast-preview-run';
import { APP_ORIGIN } from './support/ports';

const STEPS = 300;
let emulator: Emulator;

test.beforeAll(async () => {
	emulator = await startEmulator({ stepMs: 13, cors: APP_ORIGIN });
});
test.afterAll(async () => {
	await emulator?.close();
});

test('fast previews are received and drawn on the live canvas until the job is done', async ({ page }) => {
	test.setTimeout(90_000);
	// runFastPreviews waits for the job status to reach done, or fails.
	const figures = await runFastPreviews(page, emulator.url, STEPS);
	console.log(
		`previews: ${figures.received} received, ${figures.drawn} drawn over ${figures.runningSeconds.toFixed(1)} s running ` +
			`(speed figures: npm run bench -- preview)`
	);
	expect(figures.received).toBeGreaterThanOrEqual(STEPS * 0.9);
	expect(figures.drawn).toBeGreaterThanOrEqual(10);
	await expect(page.getByTestId('job-status')).toHaveAttribute('data-status', 'done');
});
