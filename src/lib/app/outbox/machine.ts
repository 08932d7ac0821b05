// The outbox as a pure state machine: what each event does to one waiting run. No I/O, no clock of its own.
//
//   queued ──begin──▶ sending ──accepted──▶ sent
//     ▲                  │ ├──rejected──▶ failed ──retry──▶ queued
//     │                  │ └──not-sent──▶ queued
//     │             unknown / orphaned
//     │                  ▼
//     └──probed: absent── uncertain ──probed: found──▶ sent
//
// "uncertain" means the server may have the prompt: it is never sent again before the server has been asked
// about its prompt_id (ComfyUI runs a re-used id a second time). Cancel ends a run that is surely not on the
// server at once; one in flight or uncertain is cancelled when its fate is known (found → sent, and the job is
// then cancelled on the server like any other).
import type { ComfyError } from '$lib/comfy/errors';
import type { ApiPrompt } from '$lib/comfy/types';
import type { OutboxError, OutboxRecord, OutboxStatus } from '$lib/storage';

export type OutboxEvent =
	| { type: 'begin'; at: number }
	/** The server queued it; `prompt` is what was posted (pictures named as the server stored them). */
	| { type: 'accepted'; at: number; prompt?: ApiPrompt }
	| { type: 'rejected'; at: number; error: OutboxError }
	/** Nothing reached the server's queue (an upload failed before the prompt was posted). */
	| { type: 'not-sent'; at: number; error: OutboxError }
	/** The attempt ended without an answer: a timeout, a dropped connection, an answer that made no sense. */
	| { type: 'unknown'; at: number; error: OutboxError }
	/** Seen by a sender holding the lock: the sender that was sending it is gone (reload, crash, tab closed). */
	| { type: 'orphaned'; at: number }
	/** The server was asked about the prompt_id: true it has it, false it has not, null it did not answer. */
	| { type: 'probed'; at: number; found: boolean | null }
	| { type: 'cancel'; at: number }
	| { type: 'retry'; at: number };

export const TERMINAL: readonly OutboxStatus[] = ['sent', 'failed', 'cancelled'];

/** The next state, or the same object when the event does not apply in this state. */
export function step(entry: OutboxRecord, event: OutboxEvent): OutboxRecord {
	const at = event.at;
	switch (event.type) {
		case 'begin':
			return entry.status === 'queued' && !entry.cancelRequested
				? { ...entry, status: 'sending', attempts: entry.attempts + 1, updatedAt: at }
				: entry;
		case 'accepted':
			if (entry.status !== 'sending') return entry;
			return { ...entry, status: 'sent', prompt: event.prompt ?? entry.prompt, uploads: [], uncertainSince: null, error: null, updatedAt: at };
		case 'rejected':
			if (entry.status !== 'sending') return entry;
			return { ...entry, status: entry.cancelRequested ? 'cancelled' : 'failed', error: event.error, updatedAt: at };
		case 'not-sent':
			if (entry.status !== 'sending') return entry;
			return { ...entry, status: entry.cancelRequested ? 'cancelled' : 'queued', error: event.error, updatedAt: at };
		case 'unknown':
			return entry.status === 'sending' ? { ...entry, status: 'uncertain', uncertainSince: at, error: event.error, updatedAt: at } : entry;
		case 'orphaned':
			return entry.status === 'sending' ? { ...entry, status: 'uncertain', uncertainSince: at, updatedAt: at } : entry;
		case 'probed':
			if (entry.status !== 'uncertain' || event.found === null) return entry;
			if (event.found) return { ...entry, status: 'sent', uncertainSince: null, error: null, updatedAt: at };
			return { ...entry, status: entry.cancelRequested ? 'cancelled' : 'queued', uncertainSince: null, updatedAt: at };
		case 'cancel':
			if (entry.status === 'queued' || entry.status === 'failed') return { ...entry, status: 'cancelled', updatedAt: at };
			if (entry.status === 'sending' || entry.status === 'uncertain') return { ...entry, cancelRequested: true, updatedAt: at };
			return entry;
		case 'retry':
			return entry.status === 'failed' ? { ...entry, status: 'queued', error: null, updatedAt: at } : entry;
		default: {
			const unexpected: never = event;
			throw new Error(`Unknown outbox event ${String(unexpected)}`);
		}
	}
}

export type OutboxAction = { kind: 'send' } | { kind: 'probe' } | { kind: 'wait'; ms: number } | { kind: 'none' };

/**
 * What a sender holding the lock does with an entry now. An uncertain attempt is asked about only once
 * `settleMs` have passed since it ended: a request we gave up on may still be on its way into the server's queue.
 */
export function nextAction(entry: OutboxRecord, now: number, settleMs: number): OutboxAction {
	if (entry.status === 'queued') return entry.cancelRequested ? { kind: 'none' } : { kind: 'send' };
	if (entry.status !== 'uncertain') return { kind: 'none' };
	const waited = now - (entry.uncertainSince ?? 0);
	return waited >= settleMs ? { kind: 'probe' } : { kind: 'wait', ms: settleMs - waited };
}

/** How a failed POST /prompt (or an upload before it) moves the entry on. */
export function sendFailure(error: ComfyError, at: number, stage: 'upload' | 'prompt'): OutboxEvent {
	const plain = plainError(error);
	if (error.kind === 'rejected') return { type: 'rejected', at, error: plain };
	// The server answered that it will not take it (a picture too large, a revoked relay token): sending the same
	// again would not help. A 5xx may come from a proxy or the relay after the prompt went through: unknown.
	const refused = error.kind === 'http' && error.status !== undefined && error.status >= 400 && error.status < 500;
	if (refused && error.status !== 408 && error.status !== 429) return { type: 'rejected', at, error: plain };
	// Pictures go up before the prompt: when one fails, the prompt itself was never posted.
	if (stage === 'upload') return { type: 'not-sent', at, error: plain };
	return { type: 'unknown', at, error: plain };
}

export function plainError(error: ComfyError): OutboxError {
	const plain: OutboxError = { kind: error.kind, message: error.message };
	if (error.status !== undefined) plain.status = error.status;
	if (error.error) plain.error = structuredClone(error.error);
	if (error.nodeErrors) plain.nodeErrors = structuredClone(error.nodeErrors);
	return plain;
}
