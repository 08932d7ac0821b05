// A precise fake of what the outbox sender talks to, for property tests that need thousands of runs: a ComfyUI that
// counts every prompt_id it queued (and, like 0.33, would queue a re-used one again), answers or loses answers as
// told, and a store that applies each change atomically as IndexedDB's readwrite transaction does.
import type { OutboxRecord } from '$lib/storage';
import type { OutboxEvent } from '$lib/app/outbox/machine';
import type { OutboxStore, OutboxTarget } from '$lib/app/outbox/sender';

/** What one POST (with its uploads) meets. */
export type SendFault =
	| 'ok'
	| 'refused' // 400: validation error
	| 'lost-before' // the connection fails before the server got it
	| 'lost-after' // the server queued it, the answer is lost
	| 'late' // we give up (timeout) while the request is still on its way; it lands before anyone asks
	| 'upload-fails' // a picture could not be uploaded; the prompt was never posted
	| 'crash-before' // the sender dies before the request leaves
	| 'crash-after'; // the server queued it and the sender dies before it hears back

export class Crash extends Error {
	constructor() {
		super('the app was killed');
	}
}

export class FakeServer {
	readonly queued = new Map<string, number>();
	readonly violations: string[] = [];
	#late: string[] = [];

	accept(promptId: string): void {
		const count = (this.queued.get(promptId) ?? 0) + 1;
		this.queued.set(promptId, count);
		if (count > 1) this.violations.push(`${promptId} queued ${count} times`);
	}

	/** Requests given up on land before any later question reaches the server (the sender waits settleMs). */
	landLate(): void {
		for (const id of this.#late.splice(0)) this.accept(id);
	}

	target(serverId: string, fault: () => SendFault, probeAnswers: () => boolean, now: () => number): OutboxTarget {
		return {
			serverId,
			send: async (entry: OutboxRecord): Promise<OutboxEvent> => {
				await Promise.resolve();
				const kind = fault();
				const at = now();
				const error = { kind: 'network', message: kind };
				switch (kind) {
					case 'ok':
						this.accept(entry.promptId);
						return { type: 'accepted', at };
					case 'refused':
						return { type: 'rejected', at, error: { kind: 'rejected', message: 'Prompt outputs failed validation' } };
					case 'lost-before':
						return { type: 'unknown', at, error };
					case 'lost-after':
						this.accept(entry.promptId);
						return { type: 'unknown', at, error };
					case 'late':
						this.#late.push(entry.promptId);
						return { type: 'unknown', at, error: { kind: 'timeout', message: 'timeout' } };
					case 'upload-fails':
						return { type: 'not-sent', at, error };
					case 'crash-before':
						throw new Crash();
					case 'crash-after':
						this.accept(entry.promptId);
						throw new Crash();
				}
			},
			probe: async (promptId: string) => {
				await Promise.resolve();
				this.landLate();
				if (!probeAnswers()) return null;
				return (this.queued.get(promptId) ?? 0) > 0;
			}
		};
	}
}

export class MemoryStore implements OutboxStore {
	readonly rows = new Map<string, OutboxRecord>();
	/** Set to make the next update throw Crash before (or after) it is written. */
	crashNext: 'before' | 'after' | null = null;

	async list(serverId: string): Promise<OutboxRecord[]> {
		await Promise.resolve();
		return [...this.rows.values()].filter((r) => r.serverId === serverId).sort((a, b) => a.createdAt - b.createdAt).map((r) => structuredClone(r));
	}

	async update(promptId: string, change: (entry: OutboxRecord) => OutboxRecord | undefined, crashes = true): Promise<OutboxRecord | undefined> {
		await Promise.resolve();
		const crash = crashes ? this.crashNext : null;
		if (crashes) this.crashNext = null;
		if (crash === 'before') throw new Crash();
		const current = this.rows.get(promptId);
		const next = current ? change(structuredClone(current)) : undefined;
		if (next) this.rows.set(promptId, structuredClone(next));
		if (crash === 'after') throw new Crash();
		return structuredClone(next ?? current);
	}
}

/** Web Locks' exclusive mode: one holder at a time, in request order; a holder that throws releases it. */
export function mutex(): <T>(fn: () => Promise<T>) => Promise<T> {
	let tail: Promise<unknown> = Promise.resolve();
	return <T>(fn: () => Promise<T>) => {
		const run = tail.then(fn);
		tail = run.catch(() => undefined);
		return run;
	};
}

export function entry(promptId: string, createdAt: number, serverId = 's1'): OutboxRecord {
	return {
		promptId,
		serverId,
		workflowId: 'w1',
		label: 'Run',
		createdAt,
		updatedAt: createdAt,
		prompt: { '1': { class_type: 'SaveImage', inputs: {} } },
		values: {},
		uploads: [],
		status: 'queued',
		attempts: 0,
		cancelRequested: false,
		uncertainSince: null,
		error: null
	};
}
