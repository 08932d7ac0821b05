// The outbox as the screens see it: the runs waiting for their server, read from the device, with Cancel, Send
// again and Send now. Sending itself is outbox-wiring's (it knows the session); this class only keeps the list
// current, also when another tab changed it (BroadcastChannel).
import { m } from '$lib/i18n';
import { randomId } from '$lib/comfy/ids';
import type { ApiPrompt, ExtraData } from '$lib/comfy/types';
import { addOutboxEntries, deleteOutboxEntry, listOutbox, updateOutboxEntry, type OutboxRecord, type OutboxUpload } from '$lib/storage';
import { step, type OutboxEvent } from './machine';

export interface OutboxRun {
	prompt: ApiPrompt;
	values: Record<string, unknown>;
	extraData?: ExtraData;
	uploads?: OutboxUpload[];
	/** Set when this run already went out once without an answer: it keeps its id and is asked about first. */
	uncertainId?: string;
}

export interface OutboxRequest {
	serverId: string;
	workflowId: string;
	runs: OutboxRun[];
}

const CHANNEL = 'comfy-pocket:outbox';

export class Outbox {
	#entries = $state.raw<OutboxRecord[]>([]);
	#error = $state<string | null>(null);
	#sender: (() => void) | null = null;
	#channel: BroadcastChannel | null = null;
	#now: () => number;

	constructor(now: () => number = Date.now) {
		this.#now = now;
	}

	/** Waiting, sending, unsure and failed runs (sent ones leave as soon as the job list has them). */
	get entries(): readonly OutboxRecord[] {
		return this.#entries;
	}
	/** Why the outbox could not be read or written, for the banner. */
	get error(): string | null {
		return this.#error;
	}

	ofWorkflow(workflowId: string): OutboxRecord[] {
		return this.#entries.filter((e) => e.workflowId === workflowId);
	}

	/** Who sends: outbox-wiring registers its drain here. */
	setSender(send: () => void): void {
		this.#sender = send;
	}

	listen(): void {
		if (this.#channel || typeof BroadcastChannel === 'undefined') return;
		this.#channel = new BroadcastChannel(CHANNEL);
		this.#channel.onmessage = () => void this.load();
	}

	async load(): Promise<void> {
		try {
			const all = await listOutbox();
			for (const gone of all.filter((e) => e.status === 'cancelled')) await deleteOutboxEntry(gone.promptId);
			this.#entries = all.filter((e) => e.status !== 'cancelled' && e.status !== 'sent');
			this.#error = null;
		} catch (err) {
			this.#error = err instanceof Error ? err.message : String(err);
		}
	}

	/** Puts runs in the outbox; their prompt ids are made now and never change. Returns them (empty if not stored). */
	async add(request: OutboxRequest): Promise<string[]> {
		const at = this.#now();
		const total = request.runs.length;
		const records: OutboxRecord[] = request.runs.map((run, i) => ({
			promptId: run.uncertainId ?? randomId(),
			serverId: request.serverId,
			workflowId: request.workflowId,
			label: total > 1 ? m.run_label_of({ index: i + 1, total }) : m.run_label_one(),
			// Distinct times keep a batch in its order.
			createdAt: at + i,
			updatedAt: at,
			prompt: run.prompt,
			extraData: run.extraData,
			values: run.values,
			uploads: run.uploads ?? [],
			status: run.uncertainId ? 'uncertain' : 'queued',
			attempts: run.uncertainId ? 1 : 0,
			cancelRequested: false,
			uncertainSince: run.uncertainId ? at : null,
			error: null
		}));
		try {
			await addOutboxEntries(records);
		} catch (err) {
			this.#error = err instanceof Error ? err.message : String(err);
			return [];
		}
		await this.changed();
		this.sendNow();
		return records.map((r) => r.promptId);
	}

	cancel(promptId: string): Promise<void> {
		return this.#apply(promptId, { type: 'cancel', at: this.#now() });
	}

	/** A failed run goes back to waiting (same prompt_id: the server never took it). */
	async retry(promptId: string): Promise<void> {
		await this.#apply(promptId, { type: 'retry', at: this.#now() });
		this.sendNow();
	}

	sendNow(): void {
		this.#sender?.();
	}

	/** Re-reads the list here and tells the other tabs to. */
	async changed(): Promise<void> {
		await this.load();
		this.#channel?.postMessage('changed');
	}

	async #apply(promptId: string, event: OutboxEvent): Promise<void> {
		try {
			await updateOutboxEntry(promptId, (entry) => {
				const next = step(entry, event);
				return next === entry ? undefined : next;
			});
		} catch (err) {
			this.#error = err instanceof Error ? err.message : String(err);
		}
		await this.changed();
	}
}

export const outbox = new Outbox();
