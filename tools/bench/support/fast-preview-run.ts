// One generation under the fastest real preview stream, driven through the UI as a user does it, with what the page
// received, drew and suffered measured inside the page. Shared by the preview benchmark (which holds the speed
// targets) and tests/e2e/run-preview-rate.spec.ts (which only checks that the feature works).
import { expect, type Page } from '@playwright/test';
import { addLanServer, importFile, LORA_PNG } from '../../../tests/e2e/support/app';

export interface PreviewRunFigures {
	/** Binary (preview) WebSocket frames the page received. */
	received: number;
	/** Previews drawn on the live canvas (the painter drops frames beyond the display's rate on purpose). */
	drawn: number;
	/** Animation frames the page had while the job was running: what the display could show. */
	displayFrames: number;
	/** From the first to the last animation frame with the job running. */
	runningSeconds: number;
	longTasks: number;
	longestTaskMs: number;
	/** Used JS heap after a forced collection, in bytes, just before Generate and once the job is done. */
	heapBefore: number;
	heapAfter: number;
}

interface Probe {
	longTasks: number;
	longest: number;
	displayFrames: number;
	firstAt: number;
	lastAt: number;
}

/**
 * Counts long tasks and animation frames in the page; animation frames only while the job runs (not queueing,
 * saving). A script text rather than a function: the bench's transpiler (tsx) wraps named functions in a `__name`
 * helper that does not exist in the page.
 */
const PROBE_SCRIPT = `(() => {
	const probe = { longTasks: 0, longest: 0, displayFrames: 0, firstAt: 0, lastAt: 0 };
	window.probe = probe;
	new PerformanceObserver((list) => {
		for (const entry of list.getEntries()) {
			probe.longTasks++;
			probe.longest = Math.max(probe.longest, entry.duration);
		}
	}).observe({ type: 'longtask', buffered: false });
	const tick = () => {
		if (document.querySelector('[data-testid=job-status][data-status=running]')) {
			probe.displayFrames++;
			probe.firstAt ||= performance.now();
			probe.lastAt = performance.now();
		}
		requestAnimationFrame(tick);
	};
	requestAnimationFrame(tick);
})()`;

async function usedHeap(page: Page): Promise<number> {
	const cdp = await page.context().newCDPSession(page);
	try {
		await cdp.send('HeapProfiler.collectGarbage');
		await cdp.send('Performance.enable');
		const { metrics } = await cdp.send('Performance.getMetrics');
		return metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? NaN;
	} finally {
		await cdp.detach();
	}
}

/**
 * Imports lora_multiple.png, points its missing models at ones the server has, sets `steps` and generates on the
 * ComfyUI at `comfyUrl` (which must allow the page's origin), then waits for the job to be done.
 */
export async function runFastPreviews(page: Page, comfyUrl: string, steps: number): Promise<PreviewRunFigures> {
	let received = 0;
	page.on('websocket', (ws) => ws.on('framereceived', (frame) => typeof frame.payload !== 'string' && received++));
	await addLanServer(page, comfyUrl);
	await importFile(page, LORA_PNG, 'lora_multiple');
	await page.getByRole('button', { name: 'Open lora_multiple' }).click();
	for (const select of await page.locator('select:has(option:text-matches("not on this server"))').all()) {
		await select.selectOption({ index: 1 });
	}
	await page.getByLabel('Steps', { exact: true }).fill(String(steps));
	await page.evaluate(PROBE_SCRIPT);
	const heapBefore = await usedHeap(page);
	await page.getByRole('button', { name: 'Generate' }).click();
	await expect(page.getByTestId('job-status')).toHaveAttribute('data-status', 'done', { timeout: 60_000 });
	const drawn = Number(await page.locator('[data-drawn]').getAttribute('data-drawn'));
	const probe = await page.evaluate(() => (window as unknown as { probe: Probe }).probe);
	const heapAfter = await usedHeap(page);
	return {
		received,
		drawn,
		displayFrames: probe.displayFrames,
		runningSeconds: (probe.lastAt - probe.firstAt) / 1000,
		longTasks: probe.longTasks,
		longestTaskMs: probe.longest,
		heapBefore,
		heapAfter
	};
}
