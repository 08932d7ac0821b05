// Keeps this browser's Web Push subscription following the "Notify me when a run finishes" switch and the active
// server: on, with a paired relay active, the relay is given a subscription; otherwise there is none. What to
// follow is passed in (the app's preference and session), so this module stays below the app layer.
import { syncPushSubscription, type PushManagerLike, type PushRelay, type PushSyncResult } from './push';

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
export function relayOf(server: { kind: string; baseUrl: string; token?: string } | null): PushRelay | null {
	return server?.kind === 'relay' && server.token ? { origin: server.baseUrl, token: server.token } : null;
}

const keyOf = (relay: PushRelay | null) => (relay ? `${relay.origin} ${relay.token}` : '');

/** Starts following for the app's lifetime; returns the function that stops it. */
export function wirePushSubscription(deps: PushWiringDeps): () => void {
	let previous: PushRelay | null = null;
	let applied: string | null = null;
	let queue: Promise<void> = Promise.resolve();

	async function apply(wanted: PushRelay | null): Promise<void> {
		// The same wish as last time (a reloaded server list makes new objects): nothing to do.
		if (applied === keyOf(wanted)) return;
		const result = await syncPushSubscription({ wanted, previous, pushManager: await currentPushManager() });
		previous = wanted;
		applied = result.state === 'error' ? null : keyOf(wanted);
		pushStatus.note = pushNote(result);
	}

	return $effect.root(() => {
		$effect(() => {
			if (!deps.ready()) return;
			const wanted = deps.enabled() ? deps.relay() : null;
			// One change at a time, in order: a quick off-on must end subscribed.
			queue = queue.then(() => apply(wanted));
		});
	});
}
