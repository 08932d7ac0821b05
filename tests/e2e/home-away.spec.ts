// One server, home and away (issue 12): a relay and a LAN address of the same ComfyUI are one server entry; the app
// runs through whichever answers — the relay while the LAN address is down, directly once it is back — and a run
// started over the LAN still finishes when the LAN goes away mid-run. The LAN address is a TCP proxy to the CORS
// emulator (the one the e2e relay serves) that the test starts and cuts.
import { expect, test, type Page } from '@playwright/test';
import { importFile, LORA_PNG } from './support/app';
import { APP_ORIGIN, E2E_ADMIN_SECRET, EMULATOR_PORT, LAN_PROXY_PORT, LAN_PROXY_URL } from './support/ports';
import { tcpProxy, type TcpProxy } from './support/tcp-proxy';

let proxy: TcpProxy;
test.beforeEach(async () => {
	proxy = await tcpProxy({ host: '127.0.0.1', port: EMULATOR_PORT }, LAN_PROXY_PORT);
});
test.afterEach(async () => {
	await proxy.down();
});

async function pair(page: Page): Promise<void> {
	const res = await page.request.post(`${APP_ORIGIN}/relay/admin/codes`, { headers: { Authorization: `Bearer ${E2E_ADMIN_SECRET}` } });
	const { code } = (await res.json()) as { code: string };
	await page.goto(`/pair#code=${code}`);
	await expect(page).toHaveURL(`${APP_ORIGIN}/`);
}

async function testLanAddress(page: Page): Promise<void> {
	await page.goto('/settings');
	await page.getByLabel('ComfyUI address').fill(LAN_PROXY_URL);
	await page.getByRole('button', { name: 'Test connection' }).click();
	await expect(page.getByTestId('diagnosis')).toHaveAttribute('data-kind', 'connected', { timeout: 15_000 });
}

async function openRun(page: Page, steps: number): Promise<void> {
	await importFile(page, LORA_PNG, 'lora_multiple');
	await page.getByRole('button', { name: 'Open lora_multiple' }).click();
	await expect(page).toHaveURL(/\/run\//);
	for (const select of await page.locator('select:has(option:text-matches("not on this server"))').all()) await select.selectOption({ index: 1 });
	await page.getByLabel('Steps', { exact: true }).fill(String(steps));
}

async function generate(page: Page): Promise<void> {
	await page.getByRole('button', { name: 'New random seed' }).first().click();
	await page.getByRole('button', { name: 'Generate' }).click();
}

/** Where each POST /prompt of the page went: 'lan' (the proxy) or 'relay'. */
function watchPrompts(page: Page): string[] {
	const seen: string[] = [];
	page.on('request', (req) => {
		if (req.method() !== 'POST' || !req.url().endsWith('/prompt')) return;
		seen.push(req.url().startsWith(LAN_PROXY_URL) ? 'lan' : req.url().startsWith(`${APP_ORIGIN}/relay/`) ? 'relay' : req.url());
	});
	return seen;
}

test('runs through the relay while the LAN address is down, and directly once it is back', async ({ page }) => {
	const prompts = watchPrompts(page);
	await proxy.up();
	await pair(page);
	// Adding the LAN address of the same ComfyUI offers to attach it to the paired relay.
	await testLanAddress(page);
	const offer = page.getByTestId('attach-offer');
	await expect(offer).toContainText('reaches the same ComfyUI as Relay 127.0.0.1', { timeout: 15_000 });
	await offer.getByRole('button', { name: /^Attach to Relay/ }).click();
	await expect(page.getByTestId('status-pill')).toContainText('via home Wi-Fi · live', { timeout: 15_000 });
	await expect(page.getByTestId('server-paths')).toContainText('Ways in: relay, home Wi-Fi');
	await expect(page.getByRole('radio', { name: /127\.0\.0\.1/ })).toHaveCount(1); // one server, not two

	// Away: the LAN address does not answer.
	await proxy.down();
	await page.reload();
	await expect(page.getByTestId('status-pill')).toContainText('via relay · live', { timeout: 20_000 });
	await openRun(page, 6);
	await generate(page);
	await expect(page.getByTestId('job-status')).toHaveAttribute('data-status', 'done', { timeout: 30_000 });
	expect(prompts).toEqual(['relay']);

	// Home again: the network changes, the LAN answers, and the next run goes direct.
	await proxy.up();
	const backAt = Date.now();
	const lanSocket = page.waitForEvent('websocket', { predicate: (ws) => ws.url().startsWith(`ws://127.0.0.1:${LAN_PROXY_PORT}/ws`), timeout: 20_000 });
	await page.evaluate(() => window.dispatchEvent(new Event('online')));
	await lanSocket;
	console.log(`relay → LAN after the network change: ${Date.now() - backAt} ms (includes the 10 s minimum stay on a route)`);
	await generate(page);
	await expect(page.getByTestId('job-status').first()).toHaveAttribute('data-status', 'done', { timeout: 30_000 });
	await expect.poll(() => prompts).toEqual(['relay', 'lan']);
});

test('a run started over the LAN finishes through the relay when the LAN goes away mid-run', async ({ page }) => {
	const prompts = watchPrompts(page);
	await proxy.up();
	// The reverse offer: a LAN server first, then pairing the relay of the same ComfyUI offers to attach it.
	await testLanAddress(page);
	await page.getByRole('button', { name: 'Add server' }).click();
	await expect(page.getByTestId('status-pill')).toContainText('LAN · live', { timeout: 15_000 });
	await pair(page);
	const offer = page.getByTestId('attach-offer');
	await expect(offer).toContainText('This relay reaches the same ComfyUI as ComfyUI on 127.0.0.1', { timeout: 15_000 });
	await offer.getByRole('button', { name: /^Attach to ComfyUI on 127\.0\.0\.1/ }).click();
	await expect(page.getByTestId('status-pill')).toContainText('via home Wi-Fi · live', { timeout: 15_000 });

	await openRun(page, 60);
	await generate(page);
	await expect(page.getByTestId('step')).toContainText(/step \d+\/60/, { timeout: 15_000 });
	expect(prompts).toEqual(['lan']);
	// Leave the Wi-Fi mid-run.
	const cutAt = Date.now();
	const relaySocket = page.waitForEvent('websocket', { predicate: (ws) => ws.url().includes('/relay/ws'), timeout: 20_000 });
	await proxy.down();
	await relaySocket;
	console.log(`LAN → relay after the LAN was cut mid-run: ${Date.now() - cutAt} ms`);
	await expect(page.getByTestId('job-status')).toHaveAttribute('data-status', 'done', { timeout: 40_000 });
	await expect(page.getByTestId('gallery-item')).toHaveCount(1);
	expect(prompts).toEqual(['lan']);
});
