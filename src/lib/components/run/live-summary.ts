// The words for a job's state, shared by the status line above the form and the compact strip in the Generate
// bar (which must say the same thing in one short line).
import type { RunJob } from '$lib/app/run/job';

export const STATUS_WORDS: Record<RunJob['status'], string> = {
	submitting: 'Sending…',
	queued: 'Queued',
	running: 'Running',
	saving: 'Saving result…',
	done: 'Done',
	failed: 'Failed',
	stopped: 'Stopped',
	cancelled: 'Cancelled'
};

type SummaryJob = Pick<RunJob, 'status' | 'node' | 'step' | 'queuePosition'>;

/**
 * One line for the strip: what runs now (node, step x/y) or where the job waits. No percent: the overall figure
 * counts finished nodes too, so next to a sampler's step count it would read as a contradiction; the bar shows it.
 */
export function liveSummary(job: SummaryJob): string {
	const parts: string[] = [];
	if (job.status === 'running') {
		parts.push(job.node ?? STATUS_WORDS.running);
		if (job.step) parts.push(`step ${job.step.value}/${job.step.max}`);
	} else if (job.status === 'queued' && job.queuePosition !== null) {
		parts.push(`${STATUS_WORDS.queued}, position ${job.queuePosition}`);
	} else {
		parts.push(STATUS_WORDS[job.status]);
	}
	return parts.join(' · ');
}
