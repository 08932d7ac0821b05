// "Done" alerts, the browser side: counts run ends the user has not seen on the app badge, shows the notification
// through the service worker registration (`new Notification()` throws on Android Chrome), and clears both when
// the page comes back into view. Every browser call is feature-detected and never throws: alerts are a courtesy,
// a run must not fail because of them. Decisions are in done-alerts.ts.
import { addToTally, ALERT_TAG_PREFIX, doneAlert, EMPTY_TALLY, endWorthAlert, type AlertContext, type EndTally, type JobEnd } from './done-alerts';
import { alertPermission } from './alert-permission';
import { PUSH_TAG_PREFIX } from '$lib/relay/push';

/** The parts of `navigator` the badge uses; both are missing in Firefox and in Safari outside Home Screen apps. */
export interface BadgeApi {
	setAppBadge?(count?: number): Promise<void>;
	clearAppBadge?(): Promise<void>;
}

/**
 * What ended while the page was hidden and has not been seen: the badge shows how many runs, and each workflow's
 * tally lets a batch update one notification. Cleared as soon as the page is visible again, on whichever screen:
 * the notification already leads to the run, and a badge left on an app that is open in front of the user reads
 * as something still waiting somewhere.
 */
export class UnseenRuns {
	#count = 0;
	#tallies = new Map<string, EndTally>();
	#badge: BadgeApi;

	constructor(badge: BadgeApi) {
		this.#badge = badge;
	}

	get count(): number {
		return this.#count;
	}

	/** What this workflow had already announced before `end`. */
	earlier(workflowId: string): EndTally {
		return this.#tallies.get(workflowId) ?? EMPTY_TALLY;
	}

	record(end: JobEnd): void {
		this.#tallies.set(end.workflowId, addToTally(this.earlier(end.workflowId), end));
		this.#count++;
		const count = this.#count;
		void attempt(() => this.#badge.setAppBadge?.(count));
	}

	/** `always` also clears a badge left from an earlier life of the page (the OS keeps it after the app is closed). */
	seen(always = false): void {
		if (this.#count === 0 && !always) return;
		this.#count = 0;
		this.#tallies.clear();
		void attempt(() => this.#badge.clearAppBadge?.());
	}
}

export interface DoneAlertDeps {
	/** The Settings switch. */
	enabled(): boolean;
	workflowName(workflowId: string): Promise<string>;
}

export type EndedJob = Omit<JobEnd, 'workflowName'>;

/**
 * Starts following the page's visibility for the app's lifetime (run-wiring calls it once) and returns what to call,
 * once, for every job of this app that reached a final state.
 */
export function watchDoneAlerts(deps: DoneAlertDeps): (end: EndedJob) => Promise<void> {
	const unseen = new UnseenRuns(navigator as Navigator & BadgeApi);
	document.addEventListener('visibilitychange', () => {
		if (document.visibilityState !== 'visible') return;
		unseen.seen();
		void closeShown();
	});
	if (document.visibilityState === 'visible') unseen.seen(true);
	// Shown one after another, so a batch's notification ends on its latest sum even if a name is read slowly.
	let showing: Promise<void> = Promise.resolve();

	async function ended(job: EndedJob): Promise<void> {
		// The moment the job ends decides, not the moment its name has been read.
		const context: AlertContext = { visibility: document.visibilityState, enabled: deps.enabled(), permission: alertPermission() };
		const draft: JobEnd = { ...job, workflowName: '' };
		if (!endWorthAlert(draft, context)) return;
		const earlier = unseen.earlier(job.workflowId);
		unseen.record(draft);
		if (context.permission !== 'granted') return;
		showing = showing.then(() => show(job, context, earlier));
		await showing;
	}

	async function show(job: EndedJob, context: AlertContext, earlier: EndTally): Promise<void> {
		const workflowName = await deps.workflowName(job.workflowId).catch(() => '');
		const spec = doneAlert({ ...job, workflowName }, context, earlier);
		if (!spec) return;
		await attempt(async () => {
			const registration = await navigator.serviceWorker.getRegistration();
			await registration?.showNotification(spec.title, spec.options);
			// The relay's Web Push for the same run (static/push.js tags it push:<promptId>) may have come first: the
			// page's notification says more (file counts, the error, the workflow's run), so it stays alone.
			const pushed = (await registration?.getNotifications({ tag: `${PUSH_TAG_PREFIX}${job.promptId}` })) ?? [];
			for (const notification of pushed) notification.close();
		});
		// The user came back while the name was read: the run is in sight, the notification would be stale.
		if (document.visibilityState === 'visible') await closeShown();
	}

	return ended;
}

/** Back in the app, its "Done" notifications have served their purpose; other notifications are left alone. */
async function closeShown(): Promise<void> {
	await attempt(async () => {
		const registration = await navigator.serviceWorker?.getRegistration();
		const shown = (await registration?.getNotifications()) ?? [];
		for (const notification of shown) if (notification.tag.startsWith(ALERT_TAG_PREFIX)) notification.close();
	});
}

async function attempt(action: () => Promise<unknown> | undefined): Promise<void> {
	try {
		await action();
	} catch {
		// Refused (no permission, no service worker, unsupported): the run and its results are unaffected.
	}
}
