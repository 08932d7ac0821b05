// Keeps the app's jobs following the active server from start-up on, whichever screen is open: runs noted before a
// reload resume, results keep being saved while the user browses elsewhere, the update prompt waits while a job
// runs, the first saved result is the moment to offer installing the app, and a run that ends while the app is in
// the background is announced ("Done" alerts, src/lib/pwa/done-alerts*.ts). Loaded after the first screen
// (see session.service.ts) so the run code stays out of the initial bundle.
import { untrack } from 'svelte';
import { getWorkflow, requestPersistence, type ResultRecord } from '$lib/storage';
import { installNudge } from '$lib/pwa/install.svelte';
import { watchDoneAlerts, type EndedJob } from '$lib/pwa/done-alerts-wiring';
import { relayOf, wirePushSubscription } from '$lib/relay/push-wiring.svelte';
import type { PushRelay } from '$lib/relay/push';
import { runJobs, type RunJob } from './jobs.svelte';
import { session } from '../session.svelte';
import { preferences } from '../settings.svelte';
import { wireOutbox } from '../outbox/outbox-wiring.svelte';
import { wireSharedRuns } from '../shared-runs/shared-wiring.svelte';
import { isPoolTransport } from '../pools/pool-follow';
import { poolNoticeText } from '../pools/pool-text';

let wired = false;

export function wireRuns(): void {
	if (wired) return;
	wired = true;
	$effect.root(() => {
		$effect(() => {
			const transport = session.transport;
			const serverId = session.activeServer?.id ?? null;
			untrack(() => void runJobs.attach(transport, serverId));
		});
		$effect(() => {
			session.busy = runJobs.active.length > 0;
		});
		// A pool tells when it moved a job to another rig or lost one with its rig: the Run screen's banner says it.
		$effect(() => {
			const transport = session.transport;
			if (isPoolTransport(transport)) return transport.onNotice((notice) => runJobs.notify(poolNoticeText(notice)));
		});
	});
	runJobs.onResult(() => {
		installNudge.offer();
		void requestPersistence();
	});
	const announceEnd = watchDoneAlerts({
		enabled: () => preferences.doneAlerts,
		// Other devices' runs (shared runs) are keyed by their title.
		workflowName: async (id) => (id.startsWith('shared:') ? id.slice('shared:'.length) : ((await getWorkflow(id))?.name ?? ''))
	});
	wireSharedRuns((end) => void announceEnd(end));
	runJobs.onEnd((job, result) => {
		const end = endedJob(job, result);
		if (end) void announceEnd(end);
	});
	wireOutbox();
	wirePushSubscription({ ready: () => session.ready && preferences.loaded, enabled: () => preferences.doneAlerts, relay: () => withScope(relayOf(session.activeServer)) });
}

/** Web Push follows the same "my runs / all runs" choice as the page's alerts. */
function withScope(relay: PushRelay | null): PushRelay | null {
	return relay && { ...relay, scope: preferences.alertScope };
}

export function endedJob(job: RunJob, result: ResultRecord | null): EndedJob | null {
	if (job.status !== 'done' && job.status !== 'failed' && job.status !== 'stopped' && job.status !== 'cancelled') return null;
	return {
		promptId: job.promptId,
		workflowId: job.workflowId,
		status: job.status,
		stoppedByUser: job.cancelRequested,
		files: result?.files.map((f) => f.kind) ?? [],
		error: job.error
	};
}
