// When the outbox is sent: whenever the active server's connection becomes live (which covers the phone coming
// back online, the app starting, and a reconnect after a connection test), on `online`, on "Send now", when the
// service worker relays a Background Sync, and again once an unanswered attempt has settled. Sent runs are handed
// to the job list (progress, previews, results as for any run) and then leave the outbox.
import { untrack } from 'svelte';
import { listOutbox, updateOutboxEntry } from '$lib/storage';
import { runJobs } from '../run/jobs.svelte';
import { session } from '../session.svelte';
import { comfyTarget } from './comfy-target';
import { handOver } from './hand-over';
import { SYNC_TAG } from './sync-tag';
import { outboxLock } from './lock';
import { outbox } from './outbox.svelte';
import { drainOutbox, SETTLE_MS, type OutboxStore } from './sender';
import { readyToRoute } from '../pools/pool-follow';


const store: OutboxStore = { list: (serverId) => listOutbox(serverId), update: updateOutboxEntry };

let wired = false;
let draining = false;
let again = false;
let timer: ReturnType<typeof setTimeout> | null = null;

export function wireOutbox(): void {
	if (wired) return;
	wired = true;
	outbox.listen();
	outbox.setSender(() => {
		if (session.connection.status !== 'live') {
			session.transport?.events.retryNow();
			void requestBackgroundSync();
		}
		void drainNow();
	});
	void outbox.load();
	$effect.root(() => {
		$effect(() => {
			const live = session.connection.status === 'live' && session.transport !== null && session.online;
			if (live) untrack(() => void drainNow());
		});
	});
	if (typeof window === 'undefined') return;
	window.addEventListener('online', () => void drainNow());
	navigator.serviceWorker?.addEventListener('message', (event: MessageEvent) => {
		if ((event.data as { type?: string } | null)?.type === 'outbox-sync') void drainNow();
	});
}

/** One pass at a time in this tab (the lock orders the tabs); a call during a pass asks for another after it. */
export async function drainNow(): Promise<void> {
	if (draining) {
		again = true;
		return;
	}
	draining = true;
	try {
		do {
			again = false;
			await drainOnce();
		} while (again);
	} finally {
		draining = false;
	}
}

async function drainOnce(): Promise<void> {
	const transport = session.transport;
	const server = session.activeServer;
	// The socket can stay open while the phone is offline (it is not closed by the system at once): not a time to send.
	if (!transport || !server || session.connection.status !== 'live' || !session.online) return;
	try {
		await readyToRoute(transport);
		const target = comfyTarget({ serverId: server.id, api: transport.api, clientId: transport.clientId });
		const report = await drainOutbox(target, { store, lock: outboxLock, now: Date.now, settleMs: SETTLE_MS, onSent: (entry) => handOver(runJobs, entry) });
		if (report.retryInMs !== null) schedule(report.retryInMs);
	} catch {
		// Storage failed mid-pass: nothing was sent without being written down first; the next pass resumes.
	}
	await outbox.changed();
}

function schedule(ms: number): void {
	if (timer) clearTimeout(timer);
	timer = setTimeout(() => {
		timer = null;
		void drainNow();
	}, ms + 50);
}

/** Asks the browser to wake the app's service worker when the network is back (Android Chrome; not iOS). */
export async function requestBackgroundSync(): Promise<void> {
	try {
		const registration = (await navigator.serviceWorker?.getRegistration()) as
			| (ServiceWorkerRegistration & { sync?: { register(tag: string): Promise<void> } })
			| undefined;
		await registration?.sync?.register(SYNC_TAG);
	} catch {
		// No Background Sync (iOS, Firefox) or refused: the outbox goes when the app is next open and online.
	}
}
