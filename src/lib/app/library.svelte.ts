// The Library screen's state: stored workflows, search, and object URLs for their thumbnails (revoked when the
// list is reloaded, so memory does not grow with every visit).
import { listWorkflows, type WorkflowRecord } from '$lib/storage';

export interface Notice {
	kind: 'error' | 'info';
	text: string;
	/** Offer the "free space" action (a StorageFullError). */
	freeSpace?: boolean;
}

function matches(workflow: WorkflowRecord, query: string): boolean {
	const q = query.trim().toLowerCase();
	if (!q) return true;
	return workflow.name.toLowerCase().includes(q) || (workflow.source.fileName ?? '').toLowerCase().includes(q);
}

class Library {
	items = $state.raw<WorkflowRecord[]>([]);
	loaded = $state(false);
	query = $state('');
	notices = $state<Notice[]>([]);
	busy = $state(false);
	thumbs = $state.raw<Record<string, string>>({});
	visible = $derived(this.items.filter((w) => matches(w, this.query)));

	async load(): Promise<void> {
		try {
			const items = await listWorkflows();
			this.#setThumbs(items);
			this.items = items;
		} catch (err) {
			this.notify({ kind: 'error', text: err instanceof Error ? err.message : String(err) });
		}
		this.loaded = true;
	}

	notify(notice: Notice): void {
		this.notices = [...this.notices, notice];
	}

	dismiss(notice: Notice): void {
		this.notices = this.notices.filter((n) => n !== notice);
	}

	#setThumbs(items: WorkflowRecord[]): void {
		for (const url of Object.values(this.thumbs)) URL.revokeObjectURL(url);
		const next: Record<string, string> = {};
		for (const w of items) if (w.thumbnail) next[w.id] = URL.createObjectURL(w.thumbnail);
		this.thumbs = next;
	}
}

export const library = new Library();
