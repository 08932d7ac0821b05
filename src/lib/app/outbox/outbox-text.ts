// What the outbox says about one waiting run, in words (pure, so screens and tests agree).
import type { OutboxRecord } from '$lib/storage';

export function outboxLine(entry: OutboxRecord, serverName: string): string {
	switch (entry.status) {
		case 'queued':
			return `Waiting for ${serverName} — will send when it answers`;
		case 'sending':
			return `Sending to ${serverName}…`;
		case 'uncertain':
			return entry.cancelRequested
				? `Cancelling — asking ${serverName} whether it already has this run`
				: `No answer from ${serverName} — asking whether it arrived before sending again`;
		case 'failed':
			return `Not sent: ${entry.error?.message ?? 'the server refused it'}`;
		case 'sent':
			return `Sent to ${serverName}`;
		case 'cancelled':
			return 'Cancelled';
	}
}

/** The last transient problem of a waiting run, if any (shown small under its line). */
export function outboxProblem(entry: OutboxRecord): string | null {
	return entry.status !== 'failed' && entry.error ? `Last try: ${entry.error.message}` : null;
}
