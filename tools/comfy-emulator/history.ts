// Finished prompts, oldest first, capped like the server (MAXIMUM_HISTORY_SIZE = 10000), in memory only.
import type { History, HistoryEntry } from '../../src/lib/comfy/types';

const MAXIMUM_HISTORY_SIZE = 10000;

export class HistoryStore {
	#entries = new Map<string, HistoryEntry>();

	add(promptId: string, entry: HistoryEntry): void {
		if (this.#entries.size > MAXIMUM_HISTORY_SIZE) this.#entries.delete(this.#entries.keys().next().value!);
		this.#entries.set(promptId, entry);
	}

	one(promptId: string): History {
		const entry = this.#entries.get(promptId);
		return entry ? { [promptId]: structuredClone(entry) } : {};
	}

	/** GET /history semantics: with max_items and no offset, the newest max_items; with an offset, from there. */
	list(maxItems?: number, offset = -1): History {
		const out: History = {};
		const start = offset < 0 && maxItems !== undefined ? this.#entries.size - maxItems : offset;
		let i = 0;
		let taken = 0;
		for (const [id, entry] of this.#entries) {
			if (i >= start) {
				out[id] = structuredClone(entry);
				taken++;
				if (maxItems !== undefined && taken >= maxItems) break;
			}
			i++;
		}
		return out;
	}

	get(promptId: string): HistoryEntry | undefined {
		return this.#entries.get(promptId);
	}

	/** Every entry, oldest first (a re-used prompt id keeps its first place, as a Python dict does). */
	entries(): [string, HistoryEntry][] {
		return [...this.#entries];
	}

	clear(): void {
		this.#entries.clear();
	}

	delete(promptId: string): void {
		this.#entries.delete(promptId);
	}
}
