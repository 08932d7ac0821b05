// Pairing a phone with the relay that the same worker serves, as the owner does with `npm run pair`.
import { expect, test, type APIRequestContext } from '@playwright/test';
import { APP_ORIGIN, E2E_ADMIN_SECRET } from './support/ports';

async function pairingCode(request: APIRequestContext): Promise<string> {
	const res = await request.post(`${APP_ORIGIN}/relay/admin/codes`, { headers: { Authorization: `Bearer ${E2E_ADMIN_SECRET}` } });
	expect(res.status()).toBe(200);
	return ((await res.json()) as { code: string }).code;
}

test('opening a pairing link pairs the phone, saves the relay and connects through it', async ({ page, request }) => {
	const code = await pairingCode(request);
	await page.goto(`/pair#code=${code}`);
	await expect(page).toHaveURL(`${APP_ORIGIN}/`);
	await expect(page.getByTestId('status-pill')).toContainText('relay · live', { timeout: 20_000 });
	await page.goto('/settings');
	await expect(page.getByText('Relay 127.0.0.1', { exact: false }).first()).toBeVisible();
});

test('a pairing link that was already used says so and offers to paste another', async ({ page, request }) => {
	const code = await pairingCode(request);
	const first = await request.post(`${APP_ORIGIN}/relay/pair`, { data: { code } });
	expect(first.status()).toBe(200);
	await page.goto(`/pair#code=${code}`);
	await expect(page.getByRole('alert')).toContainText('not valid any more');
	expect(page.url()).toBe(`${APP_ORIGIN}/pair`);
	await expect(page.getByLabel('Pairing link')).toBeVisible();
});

test('pasting a pairing link pairs too', async ({ page, request }) => {
	const code = await pairingCode(request);
	await page.goto('/pair');
	await page.getByLabel('Pairing link').fill(`${APP_ORIGIN}/pair#code=${code}`);
	await page.getByRole('button', { name: 'Pair' }).click();
	await expect(page).toHaveURL(`${APP_ORIGIN}/`);
	await expect(page.getByTestId('status-pill')).toContainText('relay', { timeout: 20_000 });
});
