// The job API journey against today's ComfyUI (the emulator's --profile 2026): Stop cancels through
// POST /api/jobs/{id}/cancel (checked on the emulator's side), the server then lists the job as cancelled, and
// the app shows it as stopped, not failed, also when the cancel came from elsewhere (another phone, the desktop).
import { expect, test } from '@playwright/test';
import { openLora } from './support/app';
import { serverRequests as requestsTo } from './support/emulator';
import { EMULATOR_2026_URL } from './support/ports';

const serverRequests = () => requestsTo(EMULATOR_2026_URL);

async function runningJob(): Promise<string> {
	const page = (await (await fetch(`${EMULATOR_2026_URL}/api/jobs?status=in_progress`)).json()) as { jobs: { id: string }[] };
	expect(page.jobs).toHaveLength(1);
	return page.jobs[0].id;
}

interface JobDetail {
	status: string;
	workflow?: { extra_data: { extra_pnginfo?: { workflow?: { nodes?: unknown[] } } } };
}

async function job(id: string): Promise<JobDetail> {
	return (await (await fetch(`${EMULATOR_2026_URL}/api/jobs/${id}`)).json()) as JobDetail;
}

async function jobStatus(id: string): Promise<string> {
	return (await job(id)).status;
}

test('Stop cancels the running job through the job API; it shows as stopped and the server lists it cancelled', async ({ page }) => {
	await openLora(page, 60, EMULATOR_2026_URL);
	await page.getByRole('button', { name: 'Generate' }).click();
	await expect(page.getByTestId('step')).toBeVisible({ timeout: 15_000 });
	const id = await runningJob();
	const before = (await serverRequests()).length;
	await page.getByRole('button', { name: /^Stop/ }).click();
	const item = page.getByTestId('queue-item');
	await expect(item).toHaveAttribute('data-status', 'stopped', { timeout: 10_000 });
	const sent = (await serverRequests()).slice(before);
	expect(sent).toContain(`POST /api/jobs/${id}/cancel`);
	expect(sent.filter((r) => r === 'POST /api/interrupt' || r === 'POST /api/queue')).toEqual([]);
	const detail = await job(id);
	expect(detail.status).toBe('cancelled');
	// The app chose the prompt id (canonical lowercase UUID, the only form newer servers accept) and sent the UI
	// workflow with the prompt, as the desktop frontend does.
	expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
	expect(detail.workflow?.extra_data.extra_pnginfo?.workflow?.nodes?.length).toBeGreaterThan(0);
	await expect(page.getByTestId('gallery-item')).toHaveCount(0);
});

test('a job cancelled elsewhere through the job API ends as stopped in the app, not failed', async ({ page }) => {
	await openLora(page, 60, EMULATOR_2026_URL);
	await page.getByRole('button', { name: 'Generate' }).click();
	await expect(page.getByTestId('step')).toBeVisible({ timeout: 15_000 });
	const id = await runningJob();
	const res = await fetch(`${EMULATOR_2026_URL}/api/jobs/${id}/cancel`, { method: 'POST' });
	expect(await res.json()).toEqual({ cancelled: true });
	await expect(page.getByTestId('queue-item')).toHaveAttribute('data-status', 'stopped', { timeout: 10_000 });
	expect(await jobStatus(id)).toBe('cancelled');
});
