// A run the server now has leaves the outbox for the job list, which follows it, saves its result and notes it for
// reloads. The outbox entry is deleted only after that note is written, so a crash in between repeats the hand-off,
// and a repeat is harmless: a run already followed, or whose result is already saved, is not taken twice.
import { deleteOutboxEntry, findResultByPrompt, type OutboxRecord } from '$lib/storage';
import type { RunJobs } from '../run/jobs.svelte';

export async function handOver(jobs: Pick<RunJobs, 'adopt' | 'cancel'>, entry: OutboxRecord): Promise<void> {
	const saved = await findResultByPrompt(entry.promptId).catch(() => undefined);
	if (!saved) {
		const adopted = await jobs.adopt({
			promptId: entry.promptId,
			workflowId: entry.workflowId,
			serverId: entry.serverId,
			label: entry.label,
			submittedAt: entry.createdAt,
			values: entry.values,
			prompt: entry.prompt
		});
		if (!adopted) return;
	}
	await deleteOutboxEntry(entry.promptId);
	if (entry.cancelRequested && !saved) void jobs.cancel(entry.promptId);
}
