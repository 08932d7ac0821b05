// "Done" alerts, the decisions only: whether a job that just ended deserves a notification and a count on the app
// badge, and what the notification says. Pure functions over plain values (no DOM, no app state), so every case
// is tested in Node; done-alerts-wiring.ts feeds them the browser's state and shows the result.

import { m } from '$lib/i18n';

/** How one of this app's jobs ended, as the alerts need it. */
export interface JobEnd {
	promptId: string;
	workflowId: string;
	workflowName: string;
	status: 'done' | 'failed' | 'stopped' | 'cancelled';
	/** The user tapped Stop or cancel on this phone: they know, so nothing is announced. */
	stoppedByUser: boolean;
	/** Kinds of the files saved for a finished job. */
	files: readonly string[];
	error: string | null;
	/** Where the notification leads; the workflow's Run screen when absent (another device's run: Now running). */
	url?: string;
}

export type AlertPermission = NotificationPermission | 'unsupported';

export interface AlertContext {
	visibility: DocumentVisibilityState;
	/** The Settings switch "Notify me when a run finishes". */
	enabled: boolean;
	permission: AlertPermission;
}

/** What ended for one workflow since the user last looked, so a batch becomes one notification that updates. */
export interface EndTally {
	done: number;
	failed: number;
	stopped: number;
	files: Record<string, number>;
	lastError: string | null;
	promptIds: readonly string[];
}

export interface NotificationSpec {
	title: string;
	options: {
		body: string;
		icon: string;
		tag: string;
		renotify: false;
		/** promptIds: the runs it announces, so the relay's Web Push for them can give way (static/push.js). */
		data: { url: string; promptIds: string[] };
	};
}

export const ALERT_ICON = '/icon-192.png';
/** Every notification of this feature carries a tag starting so, one tag per workflow. */
export const ALERT_TAG_PREFIX = 'run-done:';
export const ERROR_MAX = 80;
export const EMPTY_TALLY: EndTally = { done: 0, failed: 0, stopped: 0, files: {}, lastError: null, promptIds: [] };

/** An end the user did not see happen and did not cause: it counts on the badge and may notify. */
export function endWorthAlert(end: JobEnd, context: Pick<AlertContext, 'visibility' | 'enabled'>): boolean {
	if (!context.enabled || context.visibility !== 'hidden') return false;
	if (end.status === 'cancelled') return false;
	return !(end.status === 'stopped' && end.stoppedByUser);
}

export function addToTally(tally: EndTally, end: JobEnd): EndTally {
	const files = { ...tally.files };
	if (end.status === 'done') for (const kind of end.files) files[kind] = (files[kind] ?? 0) + 1;
	return {
		done: tally.done + (end.status === 'done' ? 1 : 0),
		failed: tally.failed + (end.status === 'failed' ? 1 : 0),
		stopped: tally.stopped + (end.status === 'stopped' ? 1 : 0),
		files,
		lastError: end.status === 'failed' ? shortError(end.error) : tally.lastError,
		promptIds: [...tally.promptIds, end.promptId]
	};
}

/**
 * The notification for a job end, or null when none is due. `earlier` holds what this workflow already announced
 * while the page was hidden; the same tag makes the browser replace that notification instead of adding one.
 */
export function doneAlert(end: JobEnd, context: AlertContext, earlier: EndTally = EMPTY_TALLY): NotificationSpec | null {
	if (!endWorthAlert(end, context) || context.permission !== 'granted') return null;
	const tally = addToTally(earlier, end);
	return {
		title: end.workflowName.trim() || 'Comfy Pocket',
		options: {
			body: describeTally(tally),
			icon: ALERT_ICON,
			tag: alertTag(end.workflowId),
			renotify: false,
			data: { url: end.url ?? `/run/${encodeURIComponent(end.workflowId)}`, promptIds: [...tally.promptIds] }
		}
	};
}

export function alertTag(workflowId: string): string {
	return `${ALERT_TAG_PREFIX}${workflowId}`;
}

export function describeTally(tally: EndTally): string {
	if (tally.done + tally.failed + tally.stopped === 1) {
		if (tally.done) return withFiles(m.alert_done(), tally.files);
		if (tally.failed) return m.alert_failed({ error: tally.lastError ?? m.alert_failed_unknown() });
		return m.alert_stopped();
	}
	const parts: string[] = [];
	if (tally.done) parts.push(withFiles(m.alert_runs_done({ count: tally.done }), tally.files));
	if (tally.failed) parts.push(m.alert_runs_failed({ count: tally.failed, error: tally.lastError ?? m.alert_failed_unknown() }));
	if (tally.stopped) parts.push(m.alert_runs_stopped({ count: tally.stopped }));
	return parts.join(' · ');
}

/** One line of at most ERROR_MAX characters: notifications show two or three lines at best. */
export function shortError(error: string | null): string {
	const line = (error ?? '').replace(/\s+/g, ' ').trim();
	if (!line) return m.alert_failed_unknown();
	return line.length <= ERROR_MAX ? line : `${line.slice(0, ERROR_MAX - 1).trimEnd()}…`;
}

const NOUNS: Record<string, (inputs: { count: number }) => string> = {
	image: (i) => m.alert_images(i),
	video: (i) => m.alert_videos(i),
	audio: (i) => m.alert_audio(i),
	text: (i) => m.alert_texts(i)
};

function withFiles(lead: string, files: Record<string, number>): string {
	const counts = Object.entries(files).filter(([, n]) => n > 0);
	if (counts.length === 0) return lead;
	const words = counts.map(([kind, count]) => (NOUNS[kind] ?? ((i) => m.alert_files(i)))({ count }));
	return m.alert_with_files({ lead, files: words.join(', ') });
}
