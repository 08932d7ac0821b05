// One pass over a server's outbox by the one sender allowed at a time (the lock spans tabs). Every step is written
// to storage before the request it announces, so a sender killed at any point leaves a state the next one can
// finish without sending anything twice: an entry still "sending" when the lock is taken again is an orphan and
// becomes "uncertain", which is only ever resolved by asking the server about its prompt_id.
import type { OutboxRecord } from '$lib/storage';
import { nextAction, step, type OutboxEvent } from './machine';

export interface OutboxStore {
	list(serverId: string): Promise<OutboxRecord[]>;
	update(promptId: string, change: (entry: OutboxRecord) => OutboxRecord | undefined): Promise<OutboxRecord | undefined>;
}

export interface OutboxTarget {
	serverId: string;
	/** Uploads the entry's pictures and posts its prompt with its prompt_id; the outcome as a machine event. */
	send(entry: OutboxRecord): Promise<OutboxEvent>;
	/** Whether the server has the prompt_id (queued, running or finished); null when it does not answer. */
	probe(promptId: string): Promise<boolean | null>;
}

export interface SenderOptions {
	store: OutboxStore;
	/** Runs `fn` while holding the outbox lock (Web Locks across tabs). */
	lock<T>(fn: () => Promise<T>): Promise<T>;
	now(): number;
	/** How long after an unanswered attempt the server is asked about it. */
	settleMs: number;
	/** Called, inside the lock, for each entry the server has now (handed over to the job list). */
	onSent?(entry: OutboxRecord): void | Promise<void>;
}

export interface DrainReport {
	sent: number;
	/** Ms until an uncertain entry may be asked about; null when nothing waits for time. */
	retryInMs: number | null;
	/** The server stopped answering during the pass: the rest waits for the next chance. */
	interrupted: boolean;
}

export const SETTLE_MS = 5_000;

export function drainOutbox(target: OutboxTarget, opts: SenderOptions): Promise<DrainReport> {
	return opts.lock(async () => {
		const report: DrainReport = { sent: 0, retryInMs: null, interrupted: false };
		const apply = (promptId: string, event: OutboxEvent) =>
			opts.store.update(promptId, (entry) => {
				const next = step(entry, event);
				return next === entry ? undefined : next;
			});
		const waitAtLeast = (ms: number) => (report.retryInMs = Math.min(report.retryInMs ?? ms, ms));
		for (const listed of await opts.store.list(target.serverId)) {
			let entry: OutboxRecord | undefined = listed;
			if (entry.status === 'sending') entry = await apply(entry.promptId, { type: 'orphaned', at: opts.now() });
			if (!entry) continue;
			let action = nextAction(entry, opts.now(), opts.settleMs);
			if (action.kind === 'wait') waitAtLeast(action.ms);
			if (action.kind === 'probe') {
				const found = await target.probe(entry.promptId);
				entry = await apply(entry.promptId, { type: 'probed', at: opts.now(), found });
				if (found === null) {
					report.interrupted = true;
					break;
				}
				// Not on the server: send it now, with the same prompt_id.
				if (entry) action = nextAction(entry, opts.now(), opts.settleMs);
			}
			if (entry && action.kind === 'send') {
				const begun = await apply(entry.promptId, { type: 'begin', at: opts.now() });
				// Cancelled (maybe in another tab) since the list was read.
				if (begun?.status !== 'sending') continue;
				const outcome = await target.send(begun);
				entry = await apply(entry.promptId, outcome);
				if (outcome.type === 'unknown') waitAtLeast(opts.settleMs);
				if (outcome.type === 'unknown' || outcome.type === 'not-sent') {
					report.interrupted = true;
					break;
				}
			}
			if (entry?.status === 'sent') {
				report.sent++;
				await opts.onSent?.(entry);
			}
		}
		return report;
	});
}
