// Wires an EventStream to a JobTracker the way every consumer needs it: all events in, a reconcile each time the
// stream becomes live again (nothing is buffered server-side), and, while it is not live, polling /queue and
// /history so jobs still finish when WebSockets cannot get through (the official frontend polls too).
import type { JobTracker } from './jobs';
import type { EventStream } from './transport';

export interface FollowOptions {
	/** Poll interval while the stream is not live; 0 disables polling. */
	pollMs?: number;
}

const DEFAULT_POLL_MS = 3000;

/** Returns the function that stops following. */
export function followJobs(events: EventStream, tracker: JobTracker, opts: FollowOptions = {}): () => void {
	const pollMs = opts.pollMs ?? DEFAULT_POLL_MS;
	let live = events.state.status === 'live';
	let poll: ReturnType<typeof setInterval> | null = null;

	const stopPolling = () => {
		if (poll) clearInterval(poll);
		poll = null;
	};
	const startPolling = () => {
		if (poll || pollMs <= 0) return;
		poll = setInterval(() => {
			if (tracker.list().some((job) => job.status === 'queued' || job.status === 'running')) void tracker.reconcile();
		}, pollMs);
	};

	const unsubscribe = events.subscribe((event) => {
		tracker.handle(event);
		if (event.type !== 'connection') return;
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
	};
}
