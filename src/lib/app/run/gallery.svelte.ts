// The results of one workflow for the gallery and viewer, with the object URLs they need. Every URL made here
// is revoked when its result goes away or the gallery is disposed, so browsing does not leak memory.
import { deleteResult, listResults, type ResultFile, type ResultRecord } from '../../storage';

export class RunGallery {
	readonly workflowId: string;
	results = $state.raw<ResultRecord[]>([]);
	loading = $state(true);
	error = $state<string | null>(null);
	#urls = new Map<Blob, string>();

	constructor(workflowId: string) {
		this.workflowId = workflowId;
	}

	async load(): Promise<void> {
		this.loading = true;
		try {
			this.results = await listResults({ workflowId: this.workflowId });
			this.error = null;
		} catch (err) {
			this.error = err instanceof Error ? err.message : String(err);
		} finally {
			this.loading = false;
		}
	}

	/** A result just saved by a run; newest first, like the stored order. */
	add(result: ResultRecord): void {
		if (result.workflowId !== this.workflowId || this.results.some((r) => r.id === result.id)) return;
		this.results = [result, ...this.results];
	}

	async remove(id: string): Promise<void> {
		const gone = this.results.find((r) => r.id === id);
		try {
			await deleteResult(id);
		} catch (err) {
			this.error = err instanceof Error ? err.message : String(err);
			return;
		}
		this.results = this.results.filter((r) => r.id !== id);
		for (const file of gone?.files ?? []) {
			this.#revoke(file.blob);
			if (file.thumb) this.#revoke(file.thumb);
		}
	}

	/** URL of a blob, made once and reused. */
	url(blob: Blob): string {
		let url = this.#urls.get(blob);
		if (!url) {
			url = URL.createObjectURL(blob);
			this.#urls.set(blob, url);
		}
		return url;
	}

	thumbUrl(file: ResultFile): string {
		return this.url(file.thumb ?? file.blob);
	}

	dispose(): void {
		for (const url of this.#urls.values()) URL.revokeObjectURL(url);
		this.#urls.clear();
	}

	#revoke(blob: Blob): void {
		const url = this.#urls.get(blob);
		if (url) URL.revokeObjectURL(url);
		this.#urls.delete(blob);
	}
}
