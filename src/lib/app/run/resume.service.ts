// Jobs still queued or running are written down on the device, so a reload, a crash or the phone killing the
// app mid-run does not lose their results: on the next start they are tracked again and reconciled from the
// server's queue and history.
import { m } from '$lib/i18n';
import type { ApiPrompt } from '../../comfy/types';
import { getSetting, setSetting } from '../../storage';

export interface PendingRun {
	promptId: string;
	workflowId: string;
	serverId: string;
	label: string;
	submittedAt: number;
	values: Record<string, unknown>;
	prompt: ApiPrompt;
}

const KEY = 'runs:pending';

export async function loadPendingRuns(): Promise<PendingRun[]> {
	try {
		const runs = await getSetting<PendingRun[]>(KEY);
		return Array.isArray(runs) ? runs : [];
	} catch {
		return [];
	}
}

/** Null when written; else why not (the run itself goes on, only its recovery after a reload is at risk). */
export async function savePendingRuns(runs: PendingRun[]): Promise<string | null> {
	try {
		await setSetting(KEY, runs);
		return null;
	} catch (err) {
		return m.resume_note_failed({ error: err instanceof Error ? err.message : String(err) });
	}
}
