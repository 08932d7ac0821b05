// What the Settings switch and the active server turn into: wishes applied in order, repeats skipped, and the line
// Settings shows when notifications cannot reach the phone while the app is closed.
import { describe, expect, it } from 'vitest';
import { PushFollower, pushNote, relayOf } from '$lib/relay/push-wiring.svelte';
import type { PushManagerLike, PushSubscriptionLike } from '$lib/relay/push';

const KEY = Uint8Array.from({ length: 65 }, (_, i) => (i === 0 ? 4 : i));

function setup(opts: { failPut?: boolean; offline?: boolean } = {}) {
	const calls: string[] = [];
	let current: PushSubscriptionLike | null = null;
	const pm: PushManagerLike = {
		getSubscription: async () => current,
		subscribe: async () => {
			calls.push('subscribe');
			const sub: PushSubscriptionLike = {
				options: { applicationServerKey: KEY.slice().buffer },
				toJSON: () => ({ endpoint: 'https://fcm.googleapis.com/fcm/send/x', keys: { p256dh: 'k', auth: 'a' } }),
				unsubscribe: async () => {
					calls.push('unsubscribe');
					current = null;
					return true;
				}
			};
			current = sub;
			return sub;
		}
	};
	const fetchImpl = (async (input: RequestInfo | URL, init: RequestInit = {}) => {
		const url = new URL(String(input));
		if (opts.offline) throw new TypeError('Failed to fetch');
		calls.push(`${init.method ?? 'GET'} ${url.pathname}`);
		if (url.pathname === '/relay/push/key') return Response.json({ publicKey: Buffer.from(KEY).toString('base64url') });
		if (init.method === 'PUT' && opts.failPut) return new Response(null, { status: 401 });
		return new Response(null, { status: 204 });
	}) as typeof fetch;
	const notes: (string | null)[] = [];
	const follower = new PushFollower((note) => notes.push(note), async () => pm, fetchImpl);
	return { follower, calls, notes, opts };
}

const relay = { origin: 'https://relay.example', token: 'd.s' };

describe('following the switch and the active relay', () => {
	it('applies on, off, on in order and ends subscribed', async () => {
		const { follower, calls } = setup();
		void follower.want(relay);
		void follower.want(null);
		await follower.want({ ...relay });
		expect(calls).toEqual([
			'GET /relay/push/key',
			'subscribe',
			'PUT /relay/push/subscription',
			'DELETE /relay/push/subscription',
			'unsubscribe',
			'GET /relay/push/key',
			'subscribe',
			'PUT /relay/push/subscription'
		]);
	});

	it('does nothing for a repeated wish, but tries a failed one again', async () => {
		const ok = setup();
		await ok.follower.want(relay);
		await ok.follower.want({ ...relay });
		expect(ok.calls.filter((c) => c === 'PUT /relay/push/subscription')).toHaveLength(1);
		expect(ok.notes).toEqual([null]);

		const failing = setup({ failPut: true });
		await failing.follower.want(relay);
		await failing.follower.want(relay);
		expect(failing.calls.filter((c) => c === 'PUT /relay/push/subscription')).toHaveLength(2);
		expect(failing.notes[1]).toContain('Pair it again');
	});

	it('tries a wish that failed offline again on retry, and does nothing on retry once it worked', async () => {
		const { follower, calls, notes, opts } = setup({ offline: true });
		await follower.retry();
		expect(calls).toEqual([]);
		await follower.want(relay);
		expect(notes.at(-1)).toContain('Cannot reach the relay');
		opts.offline = false;
		await follower.retry();
		expect(calls).toEqual(['GET /relay/push/key', 'subscribe', 'PUT /relay/push/subscription']);
		expect(notes.at(-1)).toBeNull();
		await follower.retry();
		expect(calls).toHaveLength(3);
	});

	it('only a paired relay is a push target', () => {
		expect(relayOf({ kind: 'relay', baseUrl: 'https://r.example', token: 't' })).toEqual({ origin: 'https://r.example', token: 't' });
		expect(relayOf({ kind: 'relay', baseUrl: 'https://r.example' })).toBeNull();
		expect(relayOf({ kind: 'lan', baseUrl: 'http://192.168.1.5:8188', token: 't' })).toBeNull();
		expect(relayOf(null)).toBeNull();
	});

	it('says why nothing arrives with the app closed, and nothing when all is well', () => {
		expect(pushNote({ state: 'unsupported' })).toContain('only while it is open');
		expect(pushNote({ state: 'error', message: 'The relay answered 500.' })).toBe('The relay answered 500.');
		expect(pushNote({ state: 'subscribed', endpoint: 'x' })).toBeNull();
		expect(pushNote({ state: 'off' })).toBeNull();
	});
});
