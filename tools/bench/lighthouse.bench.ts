// Lighthouse on the first screens, as users get them: the production build served by workerd, Debian's Chromium,
// Lighthouse's mobile preset (simulated slow 4G, 4× CPU slowdown). Screens: the Library empty (first visit), the
// Library with 20 workflows, and the Run screen of one workflow with a live server (the emulator). Each is audited
// RUNS times and the median by performance score is printed; the machine is shared, so single runs wander.
//
// The library and run screens need data in IndexedDB: a Playwright-driven Chromium imports the workflows and adds
// the server through the UI into a profile, then the profile's HTTP cache, code cache and service worker are removed
// so the audit is still a cold load, and Lighthouse runs on that profile with its storage reset turned off.
import { chromium } from '@playwright/test';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startEmulator } from '../comfy-emulator/server';
import { serveBuiltApp } from './support/built-app';

export const needsBuild = true;

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const RUNS = Number(process.env.LIGHTHOUSE_RUNS ?? 3);
const WORKFLOWS = path.resolve('tests/fixtures/corpus/workflows');
const FLAGS = ['--headless=new', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

interface Audit {
	perf: number;
	a11y: number;
	bp: number;
	cls: number;
}

export async function run(): Promise<string[]> {
	const app = await serveBuiltApp();
	const emulator = await startEmulator({ port: 0, cors: app.origin });
	const profiles: string[] = [];
	try {
		const empty = await median(() => audit(`${app.origin}/`, null));
		const libraryProfile = await seededProfile(app.origin, { workflows: 20 });
		profiles.push(libraryProfile.dir);
		const library = await median(() => audit(`${app.origin}/`, libraryProfile.dir));
		const runProfile = await seededProfile(app.origin, { workflows: 1, server: emulator.url });
		profiles.push(runProfile.dir);
		const runScreen = await median(() => audit(`${app.origin}${runProfile.firstRunPath}`, runProfile.dir));
		const line = (name: string, a: Audit) => `lighthouse ${name}: perf ${a.perf}, a11y ${a.a11y}, bp ${a.bp}, CLS ${a.cls.toFixed(3)}`;
		return [
			line('library (empty)', empty),
			line('library (20 workflows)', library),
			line('run screen', runScreen),
			`lighthouse: mobile preset (slow 4G, 4× CPU), median of ${RUNS} by performance; targets perf ≥ 95, a11y 100, bp 100, CLS ≤ 0.02`
		];
	} finally {
		for (const dir of profiles) rmSync(dir, { recursive: true, force: true });
		await emulator.close();
		await app.dispose();
	}
}

async function median(measure: () => Promise<Audit>): Promise<Audit> {
	const audits: Audit[] = [];
	for (let i = 0; i < RUNS; i++) audits.push(await measure());
	audits.sort((a, b) => a.perf - b.perf);
	return audits[Math.floor(audits.length / 2)];
}

/** One Lighthouse run; `profile` null = a fresh profile (first visit), else that profile with its data kept. */
async function audit(url: string, profile: string | null): Promise<Audit> {
	const fresh = profile ?? mkdtempSync(path.join(tmpdir(), 'lh-fresh-'));
	const chrome = await chromeLauncher.launch({ chromePath: CHROMIUM, chromeFlags: FLAGS, userDataDir: fresh, logLevel: 'silent' });
	try {
		const result = await lighthouse(url, {
			port: chrome.port,
			output: 'json',
			logLevel: 'error',
			onlyCategories: ['performance', 'accessibility', 'best-practices'],
			disableStorageReset: profile !== null
		});
		if (!result) throw new Error(`Lighthouse returned nothing for ${url}`);
		const { categories, audits } = result.lhr;
		if (result.lhr.runtimeError) throw new Error(`Lighthouse on ${url}: ${result.lhr.runtimeError.message}`);
		const score = (id: string) => Math.round((categories[id]?.score ?? 0) * 100);
		return { perf: score('performance'), a11y: score('accessibility'), bp: score('best-practices'), cls: audits['cumulative-layout-shift']?.numericValue ?? NaN };
	} finally {
		chrome.kill();
		if (profile === null) rmSync(fresh, { recursive: true, force: true });
	}
}

interface Seeded {
	dir: string;
	/** The Run screen of the first imported workflow. */
	firstRunPath: string;
}

/** A Chromium profile whose IndexedDB holds `workflows` imported workflows (and a live server), with no caches. */
async function seededProfile(origin: string, opts: { workflows: number; server?: string }): Promise<Seeded> {
	const dir = mkdtempSync(path.join(tmpdir(), 'lh-seeded-'));
	const context = await chromium.launchPersistentContext(dir, { executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
	let firstRunPath = '/';
	try {
		const page = context.pages()[0] ?? (await context.newPage());
		if (opts.server) {
			await page.goto(`${origin}/settings`);
			await page.getByLabel('ComfyUI address').fill(opts.server);
			await page.getByRole('button', { name: 'Test connection' }).click();
			await page.locator('[data-testid="diagnosis"][data-kind="connected"]').waitFor({ timeout: 30_000 });
			await page.getByRole('button', { name: 'Add server' }).click();
			await page.getByTestId('status-pill').filter({ hasText: 'live' }).waitFor({ timeout: 30_000 });
		}
		await page.goto(`${origin}/`);
		const files = readdirSync(WORKFLOWS).filter((f) => f.endsWith('.workflow.json')).sort().slice(0, opts.workflows);
		if (files.length < opts.workflows) throw new Error(`only ${files.length} workflows in ${WORKFLOWS}`);
		await page.getByTestId('import-input').setInputFiles(files.map((f) => path.join(WORKFLOWS, f)));
		await page.getByTestId('workflow-card').nth(opts.workflows - 1).waitFor({ timeout: 60_000 });
		await page.getByTestId('workflow-card').first().getByRole('button', { name: /^Open / }).click();
		await page.waitForURL(/\/run\//);
		firstRunPath = new URL(page.url()).pathname;
	} finally {
		await context.close();
	}
	// A cold load, as after the first visit: no HTTP cache, no compiled code, no service worker (IndexedDB stays).
	for (const sub of ['Cache', 'Code Cache', 'Service Worker', 'GPUCache']) rmSync(path.join(dir, 'Default', sub), { recursive: true, force: true });
	return { dir, firstRunPath };
}
