// The words for a job's state, shared by the status line above the form and the compact strip in the Generate
// bar (which must say the same thing in one short line).
import type { RunJob } from '$lib/app/run/job';
import { m } from '$lib/i18n';

/** The word for a job's state in the active language (read at call time: the language can load late). */
export function statusWord(status: RunJob['status']): string {
	switch (status) {
		case 'submitting':
			return m.run_status_submitting();
		case 'queued':
			return m.run_status_queued();
		case 'running':
			return m.run_status_running();
		case 'saving':
			return m.run_status_saving();
		case 'done':
			return m.run_status_done();
		case 'failed':
			return m.run_status_failed();
		case 'stopped':
			return m.run_status_stopped();
		case 'cancelled':
			return m.run_status_cancelled();
	}
}

/** "step 12/50" */
export const stepText = (step: { value: number; max: number }): string => m.run_step({ value: step.value, max: step.max });

type SummaryJob = Pick<RunJob, 'status' | 'node' | 'step' | 'queuePosition'>;

/**
 * One line for the strip: what runs now (node, step x/y) or where the job waits. No percent: the overall figure
 * counts finished nodes too, so next to a sampler's step count it would read as a contradiction; the bar shows it.
 */
export function liveSummary(job: SummaryJob): string {
	const parts: string[] = [];
	if (job.status === 'running') {
		parts.push(job.node ?? statusWord('running'));
		if (job.step) parts.push(stepText(job.step));
	} else if (job.status === 'queued' && job.queuePosition !== null) {
		parts.push(m.run_queued_position({ position: job.queuePosition }));
	} else {
		parts.push(statusWord(job.status));
	}
	return parts.join(' · ');
}
