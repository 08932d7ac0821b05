// Keeps the app's jobs following the active server from start-up on, whichever screen is open: runs noted before a
// reload resume, results keep being saved while the user browses elsewhere, the update prompt waits while a job
// runs, and the first saved result is the moment to offer installing the app. Loaded after the first screen
// (see session.service.ts) so the run code stays out of the initial bundle.
import { untrack } from 'svelte';
import { requestPersistence } from '$lib/storage';
import { installNudge } from '$lib/pwa/install.svelte';
import { runJobs } from './run-jobs.svelte';
import { session } from './session.svelte';

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
	});
	runJobs.onResult(() => {
		installNudge.offer();
		void requestPersistence();
	});
}
