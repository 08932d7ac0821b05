// User preferences other than the theme, read by the Run screen (previews) and the shell.
import { getSetting, setSetting } from '$lib/storage';

const PREVIEWS_KEY = 'previews';
const LAST_WORKFLOW_KEY = 'lastWorkflowId';
const DONE_ALERTS_KEY = 'doneAlerts';
const ALERT_SCOPE_KEY = 'alertScope';

/** Which runs Done alerts and Web Push announce: this phone's, or every run on the server (shared runs). */
export type AlertScope = 'mine' | 'all';

class Preferences {
	/** Show live sampler previews while generating. Off saves bandwidth on the relay. */
	previews = $state(true);
	/** The workflow the Run tab opens. */
	lastWorkflowId = $state<string | null>(null);
	/** Notify (and badge the app icon) when a run ends while the app is in the background. Needs the permission too. */
	doneAlerts = $state(false);
	alertScope = $state<AlertScope>('mine');
	/** Stored values are in: a switch turned before this would be overwritten by the load. */
	loaded = $state(false);

	async load(): Promise<void> {
		this.previews = await getSetting(PREVIEWS_KEY, true).catch(() => true);
		this.lastWorkflowId = (await getSetting<string>(LAST_WORKFLOW_KEY).catch(() => undefined)) ?? null;
		this.doneAlerts = await getSetting(DONE_ALERTS_KEY, false).catch(() => false);
		this.alertScope = (await getSetting<AlertScope>(ALERT_SCOPE_KEY, 'mine').catch(() => 'mine' as const)) === 'all' ? 'all' : 'mine';
		this.loaded = true;
	}

	/** Applies at once; if the device cannot store it, it lasts until the app is closed. */
	async setPreviews(on: boolean): Promise<void> {
		this.previews = on;
		await setSetting(PREVIEWS_KEY, on).catch(() => undefined);
	}

	async setDoneAlerts(on: boolean): Promise<void> {
		this.doneAlerts = on;
		await setSetting(DONE_ALERTS_KEY, on).catch(() => undefined);
	}

	async setAlertScope(scope: AlertScope): Promise<void> {
		this.alertScope = scope;
		await setSetting(ALERT_SCOPE_KEY, scope).catch(() => undefined);
	}

	async setLastWorkflow(id: string | null): Promise<void> {
		this.lastWorkflowId = id;
		await setSetting(LAST_WORKFLOW_KEY, id).catch(() => undefined);
	}
}

export const preferences = new Preferences();
