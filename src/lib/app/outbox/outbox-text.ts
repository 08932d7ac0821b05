// What the outbox says about one waiting run, in words (pure, so screens and tests agree).
import { m } from '$lib/i18n';
import type { OutboxRecord } from '$lib/storage';

export function outboxLine(entry: OutboxRecord, serverName: string): string {
	switch (entry.status) {
		case 'queued':
			return m.outbox_queued({ server: serverName });
		case 'sending':
			return m.outbox_sending({ server: serverName });
		case 'uncertain':
			return entry.cancelRequested
				? m.outbox_uncertain_cancelling({ server: serverName })
				: m.outbox_uncertain({ server: serverName });
		case 'failed':
			return m.outbox_failed({ error: entry.error?.message ?? m.outbox_refused() });
		case 'sent':
			return m.outbox_sent({ server: serverName });
		case 'cancelled':
			return m.outbox_cancelled();
	}
}

/** The last transient problem of a waiting run, if any (shown small under its line). */
export function outboxProblem(entry: OutboxRecord): string | null {
	return entry.status !== 'failed' && entry.error ? m.outbox_last_try({ error: entry.error.message }) : null;
}
