// Keeps the shared view following the active server from start-up on (called once by run-wiring), and announces
// the ends of other devices' runs when Settings says "all runs on this server".
import { untrack } from 'svelte';
import type { EndedJob } from '$lib/pwa/done-alerts-wiring';
import type { ResultRecord } from '$lib/storage';
import { runJobs } from '../run/jobs.svelte';
import { session } from '../session.svelte';
import { preferences } from '../settings.svelte';
import { sharedRuns } from './shared-runs.svelte';
import { THIS_PHONE, type SharedRunView } from './shared-view';

/** The Done alert's workflow key for another device's run: its own, so batches of one workflow are not mixed. */
export function sharedAlertKey(view: Pick<SharedRunView, 'title'>): string {
	return `shared:${view.title}`;
}

export function sharedEndedJob(view: SharedRunView, result: ResultRecord | null): EndedJob | null {
	if (view.status === 'queued' || view.status === 'running') return null;
	return {
		promptId: view.promptId,
		workflowId: sharedAlertKey(view),
		status: view.status,
		// Stopped by this phone: the user knows.
		stoppedByUser: view.stoppedBy === THIS_PHONE,
		files: result?.files.map((f) => f.kind) ?? [],
		error: view.error,
		url: '/now-running'
	};
}

export function wireSharedRuns(announce: (end: EndedJob) => void): void {
	$effect.root(() => {
		let lastVia: string | null = null;
		$effect(() => {
			const transport = session.transport;
			const server = session.activeServer;
			// A server with several ways in (app/paths/) may move between the LAN and the relay: what the shared view
			// can hear changes with it, so it attaches again.
			const via = session.connection.via;
			untrack(() => {
				if (via !== lastVia) sharedRuns.detach();
				lastVia = via;
			});
			untrack(() =>
				sharedRuns.attach(
					// A pool's rigs are not followed for other devices' runs yet (Settings → Pools and Now running say so).
					transport && server && server.kind !== 'pool'
						? { transport, serverId: server.id, deviceId: server.deviceId ?? null, isMine: (id) => runJobs.jobs.some((j) => j.promptId === id) }
						: null
				)
			);
		});
	});
	sharedRuns.onEnd((view, result) => {
		if (preferences.alertScope !== 'all') return;
		const end = sharedEndedJob(view, result);
		if (end) announce(end);
	});
}
