// Wires an EventStream to a JobTracker the way every consumer needs it: all events in, a reconcile each time the
// stream becomes live again (nothing is buffered server-side), polling /queue and /history while it is not live
// (the official frontend polls too when WebSockets cannot get through), and a reconcile when a running job has
// been silent too long — a socket can stay open yet deaf (ComfyUI's registry drops a replaced socket's id).
import type { JobTracker } from './jobs';
import type { EventStream } from './events';

export interface FollowOptions {
	/** Poll interval while the stream is not live; 0 disables polling. */
	pollMs?: number;
	/** A live stream that said nothing for this long while a job runs gets checked against the server; 0 disables. */
	silenceMs?: number;
	now?: () => number;
}

const DEFAULT_POLL_MS = 3000;
// Long enough for a model load or a VAE decode, which report no progress.
const DEFAULT_SILENCE_MS = 45_000;

/** Returns the function that stops following. */
export function followJobs(events: EventStream, tracker: JobTracker, opts: FollowOptions = {}): () => void {
	const pollMs = opts.pollMs ?? DEFAULT_POLL_MS;
	const silenceMs = opts.silenceMs ?? DEFAULT_SILENCE_MS;
	const now = opts.now ?? Date.now;
	let live = events.state.status === 'live';
	let lastHeard = now();
	let poll: ReturnType<typeof setInterval> | null = null;
	const hasOpenJobs = (status?: 'running') =>
		tracker.list().some((job) => (status ? job.status === status : job.status === 'queued' || job.status === 'running'));

	const stopPolling = () => {
		if (poll) clearInterval(poll);
		poll = null;
	};
	const startPolling = () => {
		if (poll || pollMs <= 0) return;
		poll = setInterval(() => {
			if (hasOpenJobs()) void tracker.reconcile();
		}, pollMs);
	};
	const watchdog =
		silenceMs > 0
			? setInterval(() => {
					if (!live || now() - lastHeard < silenceMs || !hasOpenJobs('running')) return;
					lastHeard = now();
					void tracker.reconcile();
				}, silenceMs / 3)
			: null;

	const unsubscribe = events.subscribe((event) => {
		tracker.handle(event);
		if (event.type !== 'connection') {
			lastHeard = now();
			return;
		}
		const nowLive = event.state.status === 'live';
		if (nowLive && !live) void tracker.reconcile();
		if (nowLive) stopPolling();
		else startPolling();
		live = nowLive;
	});
	if (!live) startPolling();

	return () => {
		unsubscribe();
		stopPolling();
		if (watchdog) clearInterval(watchdog);
	};
}
