// The History screen's state: every stored result, newest first, grouped by day, with thumbnail object URLs
// that are revoked when the screen goes away.
import { deleteResult, getWorkflow, listResults, listWorkflows, updateWorkflow, type ResultRecord } from '$lib/storage';
import { locale as activeLocale } from '$lib/i18n';
import { session } from '$lib/app/session.svelte';
import { adoptSharedResult } from '$lib/app/shared-runs/shared-adopt.service';
import { completeResult, isPartial } from '$lib/app/shared-runs/shared-results.service';

export const PAGE_SIZE = 120;

export interface DayGroup {
	day: string;
	results: ResultRecord[];
}

export function groupByDay(results: ResultRecord[], locale: string = activeLocale): DayGroup[] {
	const groups: DayGroup[] = [];
	for (const result of results) {
		const day = new Date(result.createdAt).toLocaleDateString(locale, { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' });
		const last = groups.at(-1);
		if (last?.day === day) last.results.push(result);
		else groups.push({ day, results: [result] });
	}
	return groups;
}

export class HistoryView {
	results = $state.raw<ResultRecord[]>([]);
	workflowNames = $state.raw<Record<string, string>>({});
	thumbs = $state.raw<Record<string, string>>({});
	loaded = $state(false);
	error = $state<string | null>(null);
	limit = $state(PAGE_SIZE);
	groups = $derived(groupByDay(this.results));

	async load(): Promise<void> {
		try {
			const [results, workflows] = await Promise.all([listResults({ limit: this.limit + 1 }), listWorkflows()]);
			this.workflowNames = Object.fromEntries(workflows.map((w) => [w.id, w.name]));
			this.#setThumbs(results);
			this.results = results;
		} catch (err) {
			this.error = err instanceof Error ? err.message : String(err);
		}
		this.loaded = true;
	}

	get hasMore(): boolean {
		return this.results.length > this.limit;
	}

	get shown(): DayGroup[] {
		return this.hasMore ? groupByDay(this.results.slice(0, this.limit)) : this.groups;
	}

	async more(): Promise<void> {
		this.limit += PAGE_SIZE;
		await this.load();
	}

	async remove(id: string): Promise<void> {
		try {
			await deleteResult(id);
		} catch (err) {
			this.error = err instanceof Error ? err.message : String(err);
		}
		await this.load();
	}

	/**
	 * "Reuse these settings": the result's values become the workflow's last-used values, which the Run form
	 * opens with. Other stored entries (such as seed modes) are kept. A result made elsewhere first gets a workflow
	 * (shared-adopt.service). Returns the workflow's id; null when it is gone.
	 */
	async reuse(result: ResultRecord): Promise<string | null> {
		if (result.shared && !this.workflowNames[result.workflowId]) {
			const adopted = await adoptSharedResult(result);
			if (!adopted.ok) this.error = adopted.error;
			return adopted.ok ? adopted.workflow.id : null;
		}
		try {
			const workflow = await getWorkflow(result.workflowId);
			if (!workflow) return null;
			await updateWorkflow(workflow.id, { lastValues: { ...workflow.lastValues, ...structuredClone(result.params.values) } });
			return workflow.id;
		} catch (err) {
			this.error = err instanceof Error ? err.message : String(err);
			return null;
		}
	}

	/**
	 * A result kept with previews only (made by another device) gets its full files when opened, from the server
	 * that made it if that is the active one; otherwise, or offline, the preview is shown and `error` says why.
	 */
	async complete(result: ResultRecord): Promise<ResultRecord> {
		if (!isPartial(result)) return result;
		const api = session.transport?.api;
		if (!api || session.activeServerId !== result.serverId) return result;
		try {
			const done = await completeResult(result, api);
			if (done.error) this.error = done.error;
			return done.result;
		} catch (err) {
			this.error = err instanceof Error ? err.message : String(err);
			return result;
		}
	}

	destroy(): void {
		for (const url of Object.values(this.thumbs)) URL.revokeObjectURL(url);
		this.thumbs = {};
	}

	#setThumbs(results: ResultRecord[]): void {
		const next: Record<string, string> = {};
		for (const r of results) {
			const file = r.files.find((f) => f.thumb) ?? r.files.find((f) => f.kind === 'image');
			const blob = file?.thumb ?? file?.blob;
			next[r.id] = this.thumbs[r.id] ?? (blob ? URL.createObjectURL(blob) : '');
		}
		for (const [id, url] of Object.entries(this.thumbs)) if (next[id] !== url && url) URL.revokeObjectURL(url);
		this.thumbs = next;
	}
}
