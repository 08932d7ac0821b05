// The Server history screen's state: the server's own results (server-history-source.ts) with small previews,
// refreshed when the server announces a queue change (its `status` broadcast), never on a timer; an entry opened
// full screen, saved to this device's history, or imported as a new workflow.
import { m } from '$lib/i18n';
import { formatDateTime } from '$lib/i18n/format';
import type { ComfyTransport } from '../../comfy/transport';
import { toComfyError } from '../../comfy/errors';
import { importPromptAsWorkflow } from '../shared-runs/shared-adopt.service';
import { PREVIEW_QUERY, saveSharedResult } from '../shared-runs/shared-results.service';
import { detailOf, loadServerHistory, type ServerResult } from './server-history-source';

export const SERVER_PAGE_SIZE = 24;

export interface OpenedResult {
	item: ServerResult;
	/** Object URLs of the full files, in `item.files` order; null while they load. */
	urls: (string | null)[];
}

export class ServerHistoryView {
	items = $state.raw<ServerResult[]>([]);
	thumbs = $state.raw<Record<string, string>>({});
	hasMore = $state(false);
	loaded = $state(false);
	loading = $state(false);
	error = $state<string | null>(null);
	message = $state<string | null>(null);
	source = $state<'jobs' | 'history' | null>(null);
	opened = $state.raw<OpenedResult | null>(null);
	#pages = 1;
	#transport: ComfyTransport | null = null;
	#serverId = '';
	#off: (() => void) | null = null;
	#refreshing: Promise<void> | null = null;
	#again = false;
	#lastQueue: number | null = null;

	/** Lists the server's results now, and again whenever its queue changes. */
	open(transport: ComfyTransport, serverId: string): void {
		if (this.#transport === transport) return;
		this.close();
		this.#transport = transport;
		this.#serverId = serverId;
		this.#off = transport.events.subscribe((event) => {
			if (event.type !== 'message' || event.message.type !== 'status') return;
			const remaining = event.message.data.status.exec_info.queue_remaining;
			if (remaining === this.#lastQueue) return;
			this.#lastQueue = remaining;
			void this.refresh();
		});
		void this.refresh();
	}

	close(): void {
		this.#off?.();
		this.#off = null;
		this.#transport = null;
		this.closeResult();
		for (const url of Object.values(this.thumbs)) URL.revokeObjectURL(url);
		this.thumbs = {};
		this.items = [];
		this.loaded = false;
	}

	/** Reloads every page shown so far as one request; overlapping calls share it and run once more after it. */
	refresh(): Promise<void> {
		if (this.#refreshing) {
			this.#again = true;
			return this.#refreshing;
		}
		this.#refreshing = this.#load(0, this.#pages * SERVER_PAGE_SIZE, false).finally(() => {
			this.#refreshing = null;
			if (this.#again) {
				this.#again = false;
				void this.refresh();
			}
		});
		return this.#refreshing;
	}

	async more(): Promise<void> {
		this.#pages++;
		await this.#load(this.#pages - 1, SERVER_PAGE_SIZE, true);
	}

	async #load(page: number, size: number, append: boolean): Promise<void> {
		const transport = this.#transport;
		if (!transport) return;
		this.loading = true;
		try {
			const result = await loadServerHistory(transport.api, page, size);
			if (this.#transport !== transport) return;
			const known = new Set(append ? this.items.map((i) => i.promptId) : []);
			this.items = append ? [...this.items, ...result.items.filter((i) => !known.has(i.promptId))] : result.items;
			this.hasMore = result.hasMore;
			this.source = result.source;
			this.error = null;
			void this.#loadThumbs(transport);
		} catch (err) {
			this.error = m.server_history_unreadable({ error: toComfyError(err).message });
		} finally {
			this.loading = false;
			this.loaded = true;
		}
	}

	/** Small previews (`preview=webp;80`), a few at a time, for entries that have none yet. */
	async #loadThumbs(transport: ComfyTransport): Promise<void> {
		const wanted = this.items.filter((i) => i.cover?.kind === 'image' && !(i.promptId in this.thumbs));
		const next = async (): Promise<void> => {
			const item = wanted.shift();
			if (!item?.cover || this.#transport !== transport) return;
			try {
				const blob = await transport.api.fetchView(item.cover.file, { preview: PREVIEW_QUERY });
				if (this.#transport === transport && !(item.promptId in this.thumbs)) this.thumbs = { ...this.thumbs, [item.promptId]: URL.createObjectURL(blob) };
			} catch {
				// The list still shows the entry; its file may be gone from the server's folder.
			}
			await next();
		};
		await Promise.all([next(), next(), next()]);
	}

	/** Full screen: the full files, fetched now. */
	async openResult(item: ServerResult): Promise<void> {
		const transport = this.#transport;
		if (!transport) return;
		this.message = null;
		this.closeResult();
		this.opened = { item, urls: (item.files ?? []).map(() => null) };
		try {
			const full = await detailOf(transport.api, item);
			const files = full.files ?? [];
			if (this.opened?.item.promptId !== item.promptId) return;
			this.opened = { item: full, urls: files.map(() => null) };
			for (const [i, ref] of files.entries()) {
				const blob = await transport.api.fetchView(ref.file);
				if (this.opened?.item.promptId !== item.promptId) return;
				const urls: (string | null)[] = [...this.opened.urls];
				urls[i] = URL.createObjectURL(blob.type ? blob : new Blob([blob], { type: ref.mime }));
				this.opened = { item: full, urls };
			}
		} catch (err) {
			this.message = m.server_result_open_failed({ error: toComfyError(err).message });
		}
	}

	closeResult(): void {
		for (const url of this.opened?.urls ?? []) if (url) URL.revokeObjectURL(url);
		this.opened = null;
	}

	/** "Save to phone": the full files and the prompt, stored in this device's history. */
	async save(item: ServerResult): Promise<void> {
		const transport = this.#transport;
		if (!transport) return;
		try {
			const full = await detailOf(transport.api, item);
			const outcome = await saveSharedResult({
				api: transport.api,
				promptId: full.promptId,
				serverId: this.#serverId,
				outputs: full.outputs ?? {},
				prompt: full.prompt,
				workflow: full.workflow ?? undefined,
				title: full.title,
				full: true
			});
			if (!outcome.ok) this.message = outcome.error;
			else if (!outcome.result) this.message = m.server_result_nothing({ reason: outcome.skipped.join('; ') || m.server_result_no_files() });
			else this.message = outcome.skipped.length ? m.server_result_saved_skipped({ skipped: outcome.skipped.join('; ') }) : m.server_result_saved();
		} catch (err) {
			this.message = m.server_result_save_failed({ error: toComfyError(err).message });
		}
	}

	/** Imports the prompt (with its UI workflow, if it carried one) as a new workflow of the Library. */
	async importWorkflow(item: ServerResult): Promise<string | null> {
		const transport = this.#transport;
		if (!transport) return null;
		try {
			const full = await detailOf(transport.api, item);
			if (!full.prompt) {
				this.message = m.server_result_no_prompt();
				return null;
			}
			const name = full.title ?? m.server_result_name({ when: formatDateTime(full.endedAt ?? Date.now()) });
			const outcome = await importPromptAsWorkflow(name, full.prompt, full.workflow, this.#serverId);
			this.message = outcome.ok ? m.server_result_imported({ name: outcome.workflow.name }) : outcome.error;
			return outcome.ok ? outcome.workflow.id : null;
		} catch (err) {
			this.message = m.server_result_import_failed({ error: toComfyError(err).message });
			return null;
		}
	}
}
