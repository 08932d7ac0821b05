// The Models screen's state: the server's model folders, the models of the chosen folder (kept per folder for
// the visit), and the search over them.
import { m } from '$lib/i18n';
import type { ComfyApi } from '$lib/comfy/http';

/** Folders people look for first; the rest follow alphabetically. */
const FIRST = ['checkpoints', 'loras', 'vae', 'upscale_models', 'controlnet', 'clip', 'unet', 'diffusion_models', 'embeddings'];

export function sortFolders(folders: string[]): string[] {
	const rank = (f: string) => {
		const i = FIRST.indexOf(f);
		return i === -1 ? FIRST.length : i;
	};
	return [...folders].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

/** Every word of the query must appear somewhere in the file path (case-insensitive). */
export function filterModels(models: string[], query: string): string[] {
	const words = query.toLowerCase().split(/\s+/).filter(Boolean);
	if (!words.length) return models;
	return models.filter((model) => {
		const name = model.toLowerCase();
		return words.every((w) => name.includes(w));
	});
}

export class ModelsView {
	folders = $state.raw<string[]>([]);
	folder = $state('');
	models = $state.raw<string[]>([]);
	query = $state('');
	loading = $state(false);
	error = $state<string | null>(null);
	visible = $derived(filterModels(this.models, this.query));
	#cache = new Map<string, string[]>();
	#loadedFor: ComfyApi | null = null;

	/** A new server, or a failed load now that the connection is live again. */
	needsLoad(api: ComfyApi, live: boolean): boolean {
		return api !== this.#loadedFor || (live && this.error !== null);
	}

	async load(api: ComfyApi | undefined, preferred: string): Promise<void> {
		if (!api) {
			this.error = m.models_connect();
			return;
		}
		if (api !== this.#loadedFor) this.#cache.clear();
		this.#loadedFor = api;
		this.loading = true;
		this.error = null;
		try {
			this.folders = sortFolders(await api.listModelFolders());
			const start = this.folders.includes(preferred) ? preferred : (this.folders[0] ?? '');
			if (start) await this.open(api, start);
		} catch (err) {
			this.error = m.models_folders_failed({ error: err instanceof Error ? err.message : String(err) });
		}
		this.loading = false;
	}

	async open(api: ComfyApi, folder: string): Promise<void> {
		this.folder = folder;
		const cached = this.#cache.get(folder);
		if (cached) {
			this.models = cached;
			return;
		}
		this.models = [];
		this.loading = true;
		try {
			const models = [...(await api.listModels(folder))].sort((a, b) => a.localeCompare(b));
			this.#cache.set(folder, models);
			if (this.folder === folder) this.models = models;
		} catch (err) {
			this.error = m.models_folder_failed({ folder, error: err instanceof Error ? err.message : String(err) });
		}
		this.loading = false;
	}
}
