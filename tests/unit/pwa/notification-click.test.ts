// static/notification-click.js runs inside the generated service worker; here it runs in a bare VM context with a
// recording stand-in for the worker's `self` and `clients`, the parts of the service worker API it uses.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';

const SCRIPT = readFileSync(path.resolve('static/notification-click.js'), 'utf8');
const ORIGIN = 'https://pocket.example';

interface FakeWindow {
	url: string;
	focus(): Promise<FakeWindow>;
	navigate(url: string): Promise<FakeWindow>;
}

function worker(openUrls: string[], options: { navigateFails?: boolean } = {}) {
	const log: string[] = [];
	const windows: FakeWindow[] = openUrls.map((url) => ({
		url,
		focus: async function (this: FakeWindow) {
			log.push(`focus ${this.url}`);
			return this;
		},
		navigate: async function (this: FakeWindow, to: string) {
			if (options.navigateFails) throw new TypeError('not controlled');
			log.push(`navigate ${to}`);
			return this;
		}
	}));
	let handler: ((event: unknown) => void) | null = null;
	const self = {
		location: { origin: ORIGIN },
		addEventListener: (type: string, fn: (event: unknown) => void) => {
			if (type === 'notificationclick') handler = fn;
		},
		clients: {
			matchAll: async (query: unknown) => {
				log.push(`matchAll ${JSON.stringify(query)}`);
				return windows;
			},
			openWindow: async (url: string) => {
				log.push(`open ${url}`);
				return null;
			}
		}
	};
	vm.runInNewContext(SCRIPT, { self, URL });
	async function click(data: unknown): Promise<void> {
		let waited: Promise<unknown> = Promise.resolve();
		handler!({ notification: { data, close: () => log.push('close') }, waitUntil: (p: Promise<unknown>) => (waited = p) });
		await waited;
	}
	return { log, click, registered: () => handler !== null };
}

describe('tapping a Done notification', () => {
	it('registers a notificationclick handler', () => {
		expect(worker([]).registered()).toBe(true);
	});

	it('closes it, focuses the open app window and takes it to the announced run', async () => {
		const sw = worker(['https://other.example/', `${ORIGIN}/history`]);
		await sw.click({ url: '/run/wf-1' });
		expect(sw.log).toEqual([
			'close',
			'matchAll {"type":"window","includeUncontrolled":true}',
			`focus ${ORIGIN}/history`,
			`navigate ${ORIGIN}/run/wf-1`
		]);
	});

	it('only focuses a window that already shows the run', async () => {
		const sw = worker([`${ORIGIN}/run/wf-1`]);
		await sw.click({ url: '/run/wf-1' });
		expect(sw.log.slice(2)).toEqual([`focus ${ORIGIN}/run/wf-1`]);
	});

	it('opens the app on the run when no window of it is open', async () => {
		const sw = worker([]);
		await sw.click({ url: '/run/wf-1' });
		expect(sw.log.slice(2)).toEqual([`open ${ORIGIN}/run/wf-1`]);
	});

	it('opens a new window when the open one cannot be navigated (not controlled by this worker)', async () => {
		const sw = worker([`${ORIGIN}/`], { navigateFails: true });
		await sw.click({ url: '/run/wf-1' });
		expect(sw.log.slice(2)).toEqual([`focus ${ORIGIN}/`, `open ${ORIGIN}/run/wf-1`]);
	});

	it('never follows a link to another site, and opens the app at its start without a link', async () => {
		const foreign = worker([]);
		await foreign.click({ url: 'https://evil.example/run/x' });
		expect(foreign.log.at(-1)).toBe(`open ${ORIGIN}/`);
		const bare = worker([]);
		await bare.click(null);
		expect(bare.log.at(-1)).toBe(`open ${ORIGIN}/`);
	});
});
