// Who queued each prompt through the relay and who stopped it, so every phone can say "started by Anna's phone,
// stopped by Ben's tablet". The active prompts are rebuilt from the jobs table after a restart; ended ones are
// kept in memory only (the last few, for the snapshot), and so is who stopped a prompt.
import type { RunInfo } from '../../src/lib/relay/protocol';

/** Ended prompts kept for the snapshot, matching the snapshot's recent results. */
export const RECENT_RUNS = 20;

export class RunOwners {
	readonly #runs = new Map<string, RunInfo>();
	readonly #ended = new Set<string>();

	constructor(
		restored: RunInfo[] = [],
		private readonly now: () => number = Date.now
	) {
		for (const run of restored) this.#runs.set(run.promptId, run);
	}

	/** ComfyUI accepted the prompt a device queued. */
	queued(promptId: string, deviceId: string, device: string, title?: string): RunInfo {
		const run: RunInfo = { promptId, deviceId, device, queuedAt: this.now() };
		if (title) run.title = title;
		this.#runs.delete(promptId);
		this.#ended.delete(promptId);
		this.#runs.set(promptId, run);
		return { ...run };
	}

	/** A device asked to stop (interrupt) or cancel (delete from the queue) the prompt; the first one is kept. */
	stopped(promptId: string, deviceId: string, device: string): RunInfo {
		const run = this.#runs.get(promptId) ?? { promptId };
		run.stoppedBy ??= { deviceId, device, at: this.now() };
		if (!this.#runs.has(promptId)) this.#keep(promptId, run);
		return { ...run };
	}

	/** The prompt ended: kept among the recent ones for phones that join later. */
	ended(promptId: string): void {
		if (!this.#runs.has(promptId)) return;
		this.#ended.add(promptId);
		this.#trim();
	}

	get(promptId: string): RunInfo | undefined {
		const run = this.#runs.get(promptId);
		return run && { ...run };
	}

	/** Oldest first. */
	list(): RunInfo[] {
		return [...this.#runs.values()].map((run) => ({ ...run }));
	}

	#keep(promptId: string, run: RunInfo): void {
		this.#runs.set(promptId, run);
		// A prompt queued elsewhere is known here only because it was stopped: it counts as ended for trimming.
		this.#ended.add(promptId);
		this.#trim();
	}

	#trim(): void {
		while (this.#ended.size > RECENT_RUNS) {
			const oldest = this.#ended.values().next().value as string;
			this.#ended.delete(oldest);
			this.#runs.delete(oldest);
		}
	}
}
