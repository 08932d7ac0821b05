// static/outbox-sync.js runs inside the generated service worker; here in a bare VM context with a recording
// stand-in for `self` and `clients`. A Background Sync with the outbox's tag tells every open window to send.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { SYNC_TAG } from '$lib/app/outbox/sync-tag';

const SCRIPT = readFileSync(path.resolve('static/outbox-sync.js'), 'utf8');

function fire(tag: string, windows: number) {
	const messages: unknown[] = [];
	let handler: ((event: unknown) => void) | null = null;
	const self = {
		addEventListener: (type: string, fn: (event: unknown) => void) => {
			if (type === 'sync') handler = fn;
		},
		clients: {
			matchAll: async () => Array.from({ length: windows }, () => ({ postMessage: (m: unknown) => messages.push(m) }))
		}
	};
	vm.runInNewContext(SCRIPT, { self });
	let waited: Promise<unknown> | null = null;
	handler!({ tag, waitUntil: (p: Promise<unknown>) => (waited = p) });
	return { messages, waited: waited as Promise<unknown> | null };
}

describe('outbox Background Sync in the service worker', () => {
	it("asks each open window to send when the outbox's sync fires", async () => {
		const { messages, waited } = fire(SYNC_TAG, 2);
		await waited;
		expect(messages).toEqual([{ type: 'outbox-sync' }, { type: 'outbox-sync' }]);
	});

	it('leaves other syncs alone', () => {
		const { messages, waited } = fire('something-else', 1);
		expect(waited).toBeNull();
		expect(messages).toEqual([]);
	});
});
