// static/push.js runs inside the generated service worker; here it runs in a bare VM context with a recording
// stand-in for `self`, `clients` and the registration, the parts of the service worker API it uses.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';

const SCRIPT = readFileSync(path.resolve('static/push.js'), 'utf8');

function worker(windows: { visibilityState: DocumentVisibilityState }[], existing: { data: unknown }[] = []) {
	const shown: { title: string; options: Record<string, unknown> }[] = [];
	let handler: ((event: unknown) => void) | null = null;
	const self = {
		addEventListener: (type: string, fn: (event: unknown) => void) => {
			if (type === 'push') handler = fn;
		},
		clients: { matchAll: async () => windows },
		registration: {
			showNotification: async (title: string, options: Record<string, unknown>) => void shown.push({ title, options }),
			getNotifications: async () => existing
		}
	};
	vm.runInNewContext(SCRIPT, { self });
	async function push(payload: unknown): Promise<boolean> {
		let waited: Promise<unknown> | null = null;
		const data = payload === undefined ? null : { json: () => (typeof payload === 'string' ? JSON.parse(payload) : payload) };
		handler!({ data, waitUntil: (p: Promise<unknown>) => (waited = p) });
		if (!waited) return false;
		await waited;
		return true;
	}
	return { shown, push };
}

describe('a push from the relay in the service worker', () => {
	it('shows "Done" for a succeeded prompt when no window of the app is in view, one tag per prompt', async () => {
		const sw = worker([{ visibilityState: 'hidden' }]);
		expect(await sw.push({ promptId: 'p1', status: 'succeeded' })).toBe(true);
		expect(sw.shown).toEqual([
			{ title: 'Comfy Pocket', options: { body: 'Done', icon: '/icon-192.png', tag: 'push:p1', data: { url: '/history' } } }
		]);
	});

	it('says Failed or Stopped, and uses the title the relay sent', async () => {
		const sw = worker([]);
		await sw.push({ promptId: 'p2', status: 'failed', title: ' Portrait ' });
		await sw.push({ promptId: 'p3', status: 'interrupted' });
		expect(sw.shown.map((s) => [s.title, s.options.body, s.options.tag])).toEqual([
			['Portrait', 'Failed', 'push:p2'],
			['Comfy Pocket', 'Stopped', 'push:p3']
		]);
	});

	it('shows nothing while a window of the app is visible: the page already shows the run', async () => {
		const sw = worker([{ visibilityState: 'hidden' }, { visibilityState: 'visible' }]);
		expect(await sw.push({ promptId: 'p4', status: 'succeeded' })).toBe(true);
		expect(sw.shown).toEqual([]);
	});

	it('gives way to the page\'s own notification for the same run, and only for that run', async () => {
		const sw = worker([{ visibilityState: 'hidden' }], [{ data: { url: '/run/w1', promptIds: ['p5', 'p6'] } }, { data: null }]);
		await sw.push({ promptId: 'p6', status: 'succeeded' });
		expect(sw.shown).toEqual([]);
		await sw.push({ promptId: 'p7', status: 'succeeded' });
		expect(sw.shown.map((s) => s.options.tag)).toEqual(['push:p7']);
	});

	it('always hands the browser a promise, and ignores a message that is not a relay notice', async () => {
		const sw = worker([]);
		expect(await sw.push(undefined)).toBe(true);
		expect(await sw.push('not json')).toBe(true);
		expect(await sw.push({ status: 'succeeded' })).toBe(true);
		expect(sw.shown).toEqual([]);
	});
});
