// What the polite live region says during a run. Screen readers are spoken to on start, every quarter and at the
// end, never more than once per 5 s, so a 75 frames/s run does not drown the user in announcements.
import { m } from '$lib/i18n';

export interface AnnounceInput {
	status: 'queued' | 'running' | 'succeeded' | 'failed' | 'stopped' | 'cancelled';
	progress: number;
	label: string;
}

export const ANNOUNCE_MIN_GAP_MS = 5000;

export class ProgressAnnouncer {
	#lastAt = -Infinity;
	#lastQuarter = -1;
	#lastStatus: AnnounceInput['status'] | null = null;

	/** The sentence to announce now, or null to stay quiet. Final states are always announced. */
	next(input: AnnounceInput, now: number): string | null {
		const statusChanged = input.status !== this.#lastStatus;
		this.#lastStatus = input.status;
		if (input.status !== 'running' && input.status !== 'queued') {
			if (!statusChanged) return null;
			this.#lastAt = now;
			return FINAL_WORDS[input.status]({ label: input.label });
		}
		if (input.status === 'queued') {
			if (!statusChanged) return null;
			this.#lastQuarter = -1;
			return m.announce_queued({ label: input.label });
		}
		const quarter = Math.floor(Math.max(0, Math.min(1, input.progress)) * 4);
		if (statusChanged) {
			this.#lastQuarter = quarter;
			this.#lastAt = now;
			return m.announce_started({ label: input.label });
		}
		if (quarter <= this.#lastQuarter || now - this.#lastAt < ANNOUNCE_MIN_GAP_MS) return null;
		this.#lastQuarter = quarter;
		this.#lastAt = now;
		return m.announce_percent({ label: input.label, percent: quarter * 25 });
	}
}

const FINAL_WORDS = {
	succeeded: (p: { label: string }) => m.announce_done(p),
	failed: (p: { label: string }) => m.announce_failed(p),
	stopped: (p: { label: string }) => m.announce_stopped(p),
	cancelled: (p: { label: string }) => m.announce_cancelled(p)
};
