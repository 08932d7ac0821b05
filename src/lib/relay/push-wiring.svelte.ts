// Keeps this browser's Web Push subscription following the "Notify me when a run finishes" switch and the active
// server: on, with a paired relay active, the relay is given a subscription; otherwise there is none. What to
// follow is passed in (the app's preference and session), so this module stays below the app layer.
import { PUSH_TAG_PREFIX, syncPushSubscription, type PushManagerLike, type PushRelay, type PushSyncResult } from './push';

export interface PushWiringDeps {
	/** The app has read its settings and server list: before that, "off" only means "not known yet". */
	ready(): boolean;
	enabled(): boolean;
	/** The active server, when it is a paired relay. */
	relay(): PushRelay | null;
}

class PushStatus {
	/** Why notifications cannot reach this phone while the app is closed; null when they can or are not wanted. */
	note = $state<string | null>(null);
}

export const pushStatus = new PushStatus();

export function pushNote(result: PushSyncResult): string | null {
	if (result.state === 'error') return result.message;
	if (result.state === 'unsupported') return 'This browser cannot receive notifications while the app is closed: you are notified only while it is open.';
	return null;
}

async function currentPushManager(): Promise<PushManagerLike | null> {
	try {
		const registration = await navigator.serviceWorker?.getRegistration();
		return registration?.pushManager ?? null;
	} catch {
		return null;
	}
}

/** The push target for a stored server: only a paired relay can send pushes. */
export function relayOf(server: { kind: string; baseUrl: string; token?: string; rig?: string } | null): PushRelay | null {
	if (server?.kind !== 'relay' || !server.token) return null;
	return server.rig ? { origin: server.baseUrl, token: server.token, rig: server.rig } : { origin: server.baseUrl, token: server.token };
}

const keyOf = (relay: PushRelay | null) => (relay ? `${relay.origin} ${relay.rig ?? ''} ${relay.token} ${relay.scope ?? 'all'}` : '');

/**
 * Applies wishes one at a time, in order (a quick off-on must end subscribed), and skips a wish equal to the last
 * one applied (a reloaded server list makes new objects for the same relay).
 */
export class PushFollower {
	#previous: PushRelay | null = null;
	#applied: string | null = null;
	/** The last wish, once one was made; `undefined` before. */
	#wish: PushRelay | null | undefined = undefined;
	#queue: Promise<void> = Promise.resolve();

	constructor(
		private readonly onNote: (note: string | null) => void,
		private readonly pushManager: () => Promise<PushManagerLike | null> = currentPushManager,
		private readonly fetchImpl?: typeof fetch
	) {}

	want(wanted: PushRelay | null): Promise<void> {
		this.#wish = wanted;
		this.#queue = this.#queue.then(() => this.#apply(wanted));
		return this.#queue;
	}

	/** Tries the last wish again if it failed (the phone was offline, the relay unreachable…); otherwise nothing. */
	retry(): Promise<void> {
		return this.#wish === undefined ? this.#queue : this.want(this.#wish);
	}

	async #apply(wanted: PushRelay | null): Promise<void> {
		if (this.#applied === keyOf(wanted)) return;
		const result = await syncPushSubscription({ wanted, previous: this.#previous, pushManager: await this.pushManager(), fetch: this.fetchImpl });
		this.#previous = wanted;
		// A failed wish is tried again when it is made again, or on retry() (back online, app back in view).
		this.#applied = result.state === 'error' ? null : keyOf(wanted);
		this.onNote(pushNote(result));
	}
}

/** Back in the app, the relay's notifications have served their purpose (the page shows the runs). */
async function closePushNotifications(): Promise<void> {
	try {
		const registration = await navigator.serviceWorker?.getRegistration();
		for (const shown of (await registration?.getNotifications()) ?? []) if (shown.tag.startsWith(PUSH_TAG_PREFIX)) shown.close();
	} catch {
		// no service worker or no notifications: nothing to close
	}
}

/** Starts following for the app's lifetime; returns the function that stops it. */
export function wirePushSubscription(deps: PushWiringDeps): () => void {
	const follower = new PushFollower((note) => (pushStatus.note = note));
	const onVisible = () => {
		if (document.visibilityState !== 'visible') return;
		void closePushNotifications();
		void follower.retry();
	};
	const onOnline = () => void follower.retry();
	document.addEventListener('visibilitychange', onVisible);
	window.addEventListener('online', onOnline);
	void closePushNotifications();
	const stopEffect = $effect.root(() => {
		$effect(() => {
			if (!deps.ready()) return;
			void follower.want(deps.enabled() ? deps.relay() : null);
		});
	});
	return () => {
		stopEffect();
		document.removeEventListener('visibilitychange', onVisible);
		window.removeEventListener('online', onOnline);
	};
}
