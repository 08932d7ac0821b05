// Security checks that need the built app: no secret of the relay in what browsers download, and a pairing link
// naming another relay never pairs (or even contacts that relay) without the user seeing where it leads.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { E2E_ADMIN_SECRET } from './support/ports';

const BUILD = '.svelte-kit/cloudflare';

function filesUnder(dir: string): string[] {
	return readdirSync(dir).flatMap((name) => {
		const path = join(dir, name);
		return statSync(path).isDirectory() ? filesUnder(path) : [path];
	});
}

function devVarsSecrets(): string[] {
	try {
		return [...readFileSync('.dev.vars', 'utf8').matchAll(/^\s*[A-Z_]+\s*=\s*"?([^"\n]+)"?\s*$/gm)].map((m) => m[1].trim()).filter((v) => v.length >= 8);
	} catch {
		return [];
	}
}

test('the built app carries no relay secret, secret name or relay-internal code', () => {
	const files = filesUnder(BUILD);
	expect(files.length).toBeGreaterThan(5);
	expect(files.some((f) => /(^|\/)\.dev\.vars|wrangler\.toml$/.test(f))).toBe(false);
	const forbidden = [E2E_ADMIN_SECRET, 'test-admin-secret', ...devVarsSecrets(), 'ADMIN_SECRET', 'COMFY_ACCESS_CLIENT_SECRET', 'COMFY_BEARER', 'X-Relay-Device', 'relay.internal'];
	for (const file of files) {
		const text = readFileSync(file).toString('latin1');
		for (const needle of forbidden) expect(text.includes(needle), `${needle} in ${file}`).toBe(false);
	}
});

test('a pairing link naming another relay shows where it leads and contacts nobody until the user agrees', async ({ page }) => {
	const contacted: string[] = [];
	await page.route('https://evil.example/**', (route) => {
		contacted.push(route.request().url());
		return route.abort();
	});
	await page.goto('/pair#code=abcd2345efgh6789&relay=https://evil.example');
	await expect(page.getByRole('alert')).toContainText('evil.example');
	await expect(page.getByLabel('Pairing link')).toHaveValue(/relay=https:\/\/evil\.example/);
	await page.waitForTimeout(500);
	expect(contacted).toEqual([]);
	await page.getByRole('button', { name: 'Pair' }).click();
	await expect.poll(() => contacted.length).toBeGreaterThan(0);
	expect(contacted[0]).toBe('https://evil.example/relay/pair');
});

test('no page of the app can be framed by another site (clickjacking the Pair button)', async ({ request }) => {
	for (const path of ['/', '/pair', '/settings']) {
		const res = await request.get(path);
		expect(res.status(), path).toBe(200);
		expect(res.headers()['x-frame-options'], path).toBe('DENY');
		expect(res.headers()['content-security-policy'], path).toContain("frame-ancestors 'none'");
		expect(res.headers()['x-content-type-options'], path).toBe('nosniff');
	}
});
