// The phone's push subscription kept in line with the setting and the active relay, against a fake PushManager
// (Chromium headless has no push service) and a fake relay that answers the three push routes as the real one does.
import { describe, expect, it } from 'vitest';
import { syncPushSubscription, type PushManagerLike, type PushRelay, type PushSubscriptionLike } from '$lib/relay/push';

const b64url = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url');
const keyBytes = (seed: number) => Uint8Array.from({ length: 65 }, (_, i) => (i === 0 ? 4 : (i * seed) % 256));

class FakeSubscription implements PushSubscriptionLike {
	active = true;
	constructor(
		readonly endpoint: string,
		readonly options: { applicationServerKey: ArrayBuffer | null },
		private readonly owner: FakePushManager
	) {}
	toJSON() {
		return { endpoint: this.endpoint, keys: { p256dh: 'BPk', auth: 'au' } };
	}
	async unsubscribe(): Promise<boolean> {
		this.active = false;
		if (this.owner.current === this) this.owner.current = null;
		return true;
	}
}

class FakePushManager implements PushManagerLike {
	current: FakeSubscription | null = null;
	subscribed = 0;
	refuse: Error | null = null;
	async getSubscription() {
		return this.current;
	}
	async subscribe(options: { userVisibleOnly: boolean; applicationServerKey: BufferSource }) {
		if (this.refuse) throw this.refuse;
		if (!options.userVisibleOnly) throw new Error('userVisibleOnly is required');
		const key = new Uint8Array(options.applicationServerKey as Uint8Array).slice().buffer;
		this.subscribed++;
		this.current = new FakeSubscription(`https://fcm.googleapis.com/fcm/send/${this.subscribed}`, { applicationServerKey: key }, this);
		return this.current;
	}
}

/** Answers like durable-objects/src/push-routes.ts: 401 without the token, one subscription per device. */
function fakeRelay(origin: string, token: string, opts: { key?: Uint8Array; putStatus?: number } = {}) {
	const state = { key: opts.key ?? keyBytes(3), stored: null as unknown, calls: [] as string[] };
	const fetchImpl = (async (input: RequestInfo | URL, init: RequestInit = {}) => {
		const url = new URL(String(input));
		const method = init.method ?? 'GET';
		state.calls.push(`${method} ${url.origin}${url.pathname}`);
		if (url.origin !== origin) throw new TypeError('Failed to fetch');
		if ((init.headers as Record<string, string>).Authorization !== `Bearer ${token}`) return new Response(null, { status: 401 });
		if (method === 'GET' && url.pathname === '/relay/push/key') return Response.json({ publicKey: b64url(state.key) });
		if (method === 'PUT' && url.pathname === '/relay/push/subscription') {
			if (opts.putStatus === 400) return Response.json({ error: 'bad-request', message: 'The endpoint must be an https URL of a known push service.' }, { status: 400 });
			state.stored = JSON.parse(String(init.body));
			return new Response(null, { status: 204 });
		}
		if (method === 'DELETE' && url.pathname === '/relay/push/subscription') {
			state.stored = null;
			return new Response(null, { status: 204 });
		}
		return new Response(null, { status: 404 });
	}) as typeof fetch;
	return { state, fetch: fetchImpl };
}

const RELAY: PushRelay = { origin: 'https://relay.example', token: 'dev.secret' };

describe('keeping the push subscription in line with the setting', () => {
	it('subscribes with the relay key (user-visible only) and hands the subscription to the relay', async () => {
		const pm = new FakePushManager();
		const relay = fakeRelay(RELAY.origin, RELAY.token);
		const result = await syncPushSubscription({ wanted: RELAY, previous: null, pushManager: pm, fetch: relay.fetch });
		expect(result).toEqual({ state: 'subscribed', endpoint: 'https://fcm.googleapis.com/fcm/send/1' });
		expect(new Uint8Array(pm.current!.options.applicationServerKey!)).toEqual(relay.state.key);
		expect(relay.state.stored).toEqual({ endpoint: 'https://fcm.googleapis.com/fcm/send/1', keys: { p256dh: 'BPk', auth: 'au' }, scope: 'all' });
	});

	it('reuses a subscription made for the same key instead of making a new one each time', async () => {
		const pm = new FakePushManager();
		const relay = fakeRelay(RELAY.origin, RELAY.token);
		await syncPushSubscription({ wanted: RELAY, previous: null, pushManager: pm, fetch: relay.fetch });
		await syncPushSubscription({ wanted: RELAY, previous: RELAY, pushManager: pm, fetch: relay.fetch });
		expect(pm.subscribed).toBe(1);
		expect(relay.state.stored).not.toBeNull();
	});

	it('resubscribes when the relay key changed, dropping the old subscription', async () => {
		const pm = new FakePushManager();
		const relay = fakeRelay(RELAY.origin, RELAY.token);
		await syncPushSubscription({ wanted: RELAY, previous: null, pushManager: pm, fetch: relay.fetch });
		const old = pm.current!;
		relay.state.key = keyBytes(7);
		const result = await syncPushSubscription({ wanted: RELAY, previous: RELAY, pushManager: pm, fetch: relay.fetch });
		expect(result).toMatchObject({ state: 'subscribed', endpoint: 'https://fcm.googleapis.com/fcm/send/2' });
		expect(old.active).toBe(false);
		expect(new Uint8Array(pm.current!.options.applicationServerKey!)).toEqual(keyBytes(7));
	});

	it('unsubscribes and tells the relay to forget when turned off', async () => {
		const pm = new FakePushManager();
		const relay = fakeRelay(RELAY.origin, RELAY.token);
		await syncPushSubscription({ wanted: RELAY, previous: null, pushManager: pm, fetch: relay.fetch });
		expect(await syncPushSubscription({ wanted: null, previous: RELAY, pushManager: pm, fetch: relay.fetch })).toEqual({ state: 'off' });
		expect(pm.current).toBeNull();
		expect(relay.state.stored).toBeNull();
	});

	it('still unsubscribes when the relay it was registered with cannot be reached any more', async () => {
		const pm = new FakePushManager();
		const relay = fakeRelay(RELAY.origin, RELAY.token);
		await syncPushSubscription({ wanted: RELAY, previous: null, pushManager: pm, fetch: relay.fetch });
		const gone = { origin: 'https://gone.example', token: 'x.y' };
		expect(await syncPushSubscription({ wanted: null, previous: gone, pushManager: pm, fetch: relay.fetch })).toEqual({ state: 'off' });
		expect(pm.current).toBeNull();
	});

	it('moves the registration when another relay becomes the active server', async () => {
		const pm = new FakePushManager();
		const first = fakeRelay(RELAY.origin, RELAY.token);
		await syncPushSubscription({ wanted: RELAY, previous: null, pushManager: pm, fetch: first.fetch });
		const other: PushRelay = { origin: 'https://other.example', token: 'd2.s2' };
		const second = fakeRelay(other.origin, other.token, { key: keyBytes(11) });
		const both = (async (input: RequestInfo | URL, init?: RequestInit) =>
			String(input).startsWith(RELAY.origin) ? first.fetch(input, init) : second.fetch(input, init)) as typeof fetch;
		const result = await syncPushSubscription({ wanted: other, previous: RELAY, pushManager: pm, fetch: both });
		expect(result.state).toBe('subscribed');
		expect(first.state.stored).toBeNull();
		expect(second.state.stored).not.toBeNull();
		expect(new Uint8Array(pm.current!.options.applicationServerKey!)).toEqual(keyBytes(11));
	});

	it('says so when the browser has no PushManager', async () => {
		expect(await syncPushSubscription({ wanted: RELAY, previous: null, pushManager: null })).toEqual({ state: 'unsupported' });
		expect(await syncPushSubscription({ wanted: null, previous: null, pushManager: null })).toEqual({ state: 'off' });
	});

	it('gives a clear message for each failure, never a throw', async () => {
		const pm = new FakePushManager();
		const revoked = fakeRelay(RELAY.origin, 'another.token');
		const r1 = await syncPushSubscription({ wanted: RELAY, previous: null, pushManager: pm, fetch: revoked.fetch });
		expect(r1).toMatchObject({ state: 'error', message: expect.stringContaining('Pair it again') });

		const unreachable = await syncPushSubscription({ wanted: { ...RELAY, origin: 'https://down.example' }, previous: null, pushManager: pm, fetch: revoked.fetch });
		expect(unreachable).toMatchObject({ state: 'error', message: expect.stringContaining('Cannot reach the relay') });

		pm.refuse = new DOMException('Registration failed - push service not available', 'AbortError');
		const refused = await syncPushSubscription({ wanted: RELAY, previous: null, pushManager: pm, fetch: fakeRelay(RELAY.origin, RELAY.token).fetch });
		expect(refused).toMatchObject({ state: 'error', message: expect.stringContaining('push service not available') });

		pm.refuse = null;
		const badHost = await syncPushSubscription({ wanted: RELAY, previous: null, pushManager: pm, fetch: fakeRelay(RELAY.origin, RELAY.token, { putStatus: 400 }).fetch });
		expect(badHost).toMatchObject({ state: 'error', message: expect.stringContaining('known push service') });

		const oldRelay = (async () => new Response(null, { status: 404 })) as unknown as typeof fetch;
		expect(await syncPushSubscription({ wanted: RELAY, previous: null, pushManager: pm, fetch: oldRelay })).toMatchObject({
			state: 'error',
			message: expect.stringContaining('deploy the current version')
		});
	});
});
