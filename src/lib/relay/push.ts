// Web Push through the relay, the phone's side: subscribe this browser with the relay's VAPID key and hand the
// subscription to the relay, or drop both. Then the relay can say "your run is done" while the app is closed
// (Android Chrome; iOS 16.4+ only as a Home Screen app). No UI here: every outcome is a value, never a throw.

import { RELAY_PREFIX, rigPrefix } from './protocol';

/** Tag prefix of the service worker's push notifications (static/push.js tags them `push:<promptId>`). */
export const PUSH_TAG_PREFIX = 'push:';

export interface PushRelay {
	origin: string;
	token: string;
	/** One of the relay's rigs (its push routes are `/relay/rig/<name>/push/…`); absent for the default rig. */
	rig?: string;
	/** Pushes for this device's runs only, or for every run on the server (the relay's default). */
	scope?: 'mine' | 'all';
}

/** The parts of a browser PushSubscription used here. */
export interface PushSubscriptionLike {
	readonly options: { readonly applicationServerKey: ArrayBuffer | null };
	toJSON(): { endpoint?: string; keys?: Record<string, string> };
	unsubscribe(): Promise<boolean>;
}

/** The parts of `registration.pushManager` used here. */
export interface PushManagerLike {
	getSubscription(): Promise<PushSubscriptionLike | null>;
	subscribe(options: { userVisibleOnly: boolean; applicationServerKey: BufferSource }): Promise<PushSubscriptionLike>;
}

export type PushSyncResult =
	| { state: 'subscribed'; endpoint: string }
	| { state: 'off' }
	/** No PushManager (iOS outside the Home Screen, Firefox private windows, plain http…). */
	| { state: 'unsupported' }
	| { state: 'error'; message: string };

export interface PushSyncOptions {
	/** The relay that should notify this browser, or null for none. */
	wanted: PushRelay | null;
	/** The relay this browser was last registered with, so it can be told to forget the subscription. */
	previous: PushRelay | null;
	pushManager: PushManagerLike | null;
	fetch?: typeof fetch;
}

const LATER = 'You are notified only while the app is open.';

export function base64UrlToBytes(text: string): Uint8Array<ArrayBuffer> | null {
	if (!/^[A-Za-z0-9_-]+$/.test(text)) return null;
	const plain = text.replace(/-/g, '+').replace(/_/g, '/');
	try {
		return Uint8Array.from(atob(plain + '='.repeat((4 - (plain.length % 4)) % 4)), (c) => c.charCodeAt(0));
	} catch {
		return null;
	}
}

function sameBytes(a: ArrayBuffer | null, b: Uint8Array): boolean {
	if (!a || a.byteLength !== b.byteLength) return false;
	const view = new Uint8Array(a);
	return view.every((byte, i) => byte === b[i]);
}

/** `path` is the default rig's (`/relay/push/key`); a rig's is the same under its prefix. */
function relayUrl(relay: PushRelay, path: string): string {
	return `${relay.origin.replace(/\/+$/, '')}${rigPrefix(relay.rig)}${path.slice(RELAY_PREFIX.length)}`;
}

function authorized(relay: PushRelay, init: RequestInit = {}): RequestInit {
	return { ...init, headers: { ...(init.headers as Record<string, string> | undefined), Authorization: `Bearer ${relay.token}` } };
}

function reason(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}

/** Brings this browser's push subscription in line with `wanted`. Safe to call again with the same arguments. */
export async function syncPushSubscription(opts: PushSyncOptions): Promise<PushSyncResult> {
	const fetchImpl = opts.fetch ?? fetch;
	const pm = opts.pushManager;
	if (opts.previous && opts.previous.origin !== opts.wanted?.origin) await forget(opts.previous, fetchImpl);
	if (!pm) return opts.wanted ? { state: 'unsupported' } : { state: 'off' };
	if (!opts.wanted) {
		await unsubscribeQuietly(pm);
		return { state: 'off' };
	}
	return subscribe(opts.wanted, pm, fetchImpl);
}

async function subscribe(relay: PushRelay, pm: PushManagerLike, fetchImpl: typeof fetch): Promise<PushSyncResult> {
	const key = await relayKey(relay, fetchImpl);
	if (typeof key === 'string') return { state: 'error', message: key };
	let subscription: PushSubscriptionLike;
	try {
		const existing = await pm.getSubscription();
		// A subscription made for another key (another relay, or this one's key was replaced) cannot be reused.
		if (existing && !sameBytes(existing.options.applicationServerKey, key)) await existing.unsubscribe();
		subscription = existing && sameBytes(existing.options.applicationServerKey, key) ? existing : await pm.subscribe({ userVisibleOnly: true, applicationServerKey: key });
	} catch (error) {
		return { state: 'error', message: `This browser refused a push subscription (${reason(error)}). ${LATER}` };
	}
	const json = subscription.toJSON();
	let res: Response;
	try {
		res = await fetchImpl(
			relayUrl(relay, '/relay/push/subscription'),
			authorized(relay, { method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ endpoint: json.endpoint, keys: json.keys, scope: relay.scope ?? 'all' }) })
		);
	} catch (error) {
		return { state: 'error', message: `Cannot reach the relay to register for notifications (${reason(error)}). ${LATER}` };
	}
	if (res.ok) return { state: 'subscribed', endpoint: json.endpoint ?? '' };
	if (res.status === 400) {
		const detail = await res.json().then((b: { message?: string }) => b.message ?? '', () => '');
		return { state: 'error', message: `The relay refused this browser's push service: ${detail} ${LATER}` };
	}
	return { state: 'error', message: statusMessage(res.status) };
}

/** The relay's public key as bytes, or the message to show. */
async function relayKey(relay: PushRelay, fetchImpl: typeof fetch): Promise<Uint8Array<ArrayBuffer> | string> {
	let res: Response;
	try {
		res = await fetchImpl(relayUrl(relay, '/relay/push/key'), authorized(relay));
	} catch (error) {
		return `Cannot reach the relay to set up notifications while the app is closed (${reason(error)}). ${LATER}`;
	}
	if (!res.ok) return statusMessage(res.status);
	const body = (await res.json().catch(() => null)) as { publicKey?: unknown } | null;
	const key = typeof body?.publicKey === 'string' ? base64UrlToBytes(body.publicKey) : null;
	if (!key || key.byteLength !== 65) return `The relay sent no usable push key (an older relay? Deploy the current one). ${LATER}`;
	return key;
}

function statusMessage(status: number): string {
	if (status === 401) return `The relay no longer accepts this device (revoked?). Pair it again in Settings. ${LATER}`;
	if (status === 404) return `This relay cannot send notifications yet (deploy the current version). ${LATER}`;
	if (status === 429) return `Too many failed attempts from this network; the relay is waiting a minute. ${LATER}`;
	return `The relay answered ${status} while registering for notifications. ${LATER}`;
}

/** Best effort: a relay that is gone or unreachable drops the subscription itself once the push service says 410. */
async function forget(relay: PushRelay, fetchImpl: typeof fetch): Promise<void> {
	try {
		const res = await fetchImpl(relayUrl(relay, '/relay/push/subscription'), authorized(relay, { method: 'DELETE' }));
		await res.body?.cancel();
	} catch {
		// unreachable now; see above
	}
}

async function unsubscribeQuietly(pm: PushManagerLike): Promise<void> {
	try {
		await (await pm.getSubscription())?.unsubscribe();
	} catch {
		// nothing subscribed, or the browser refuses: no push can arrive either way once the relay forgets it
	}
}
