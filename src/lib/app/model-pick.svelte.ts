// Hand-over of a model chosen on the Models screen to the picker field of the Run form that asked for it.
// The Run screen navigates to `/models?pick=<fieldId>&folder=<folder>&return=/run/<id>`; the Models screen
// calls `modelPick.choose(...)` and navigates back; the Run screen calls `modelPick.take(fieldId)`.

export interface PickRequest {
	fieldId: string;
	folder: string;
	/** Same-origin path to go back to. */
	returnTo: string;
}

export interface ModelPick extends PickRequest {
	model: string;
}

/** Only same-origin paths are accepted as `return`, so a crafted link cannot send the user elsewhere. */
function safeReturnPath(value: string | null): string | null {
	if (!value || !value.startsWith('/') || value.startsWith('//') || value.includes('\\')) return null;
	return value;
}

/** Reads a pick request from the Models screen's URL; null when the screen was opened for browsing. */
export function parsePickRequest(url: URL): PickRequest | null {
	const fieldId = url.searchParams.get('pick');
	const returnTo = safeReturnPath(url.searchParams.get('return'));
	if (!fieldId || !returnTo) return null;
	return { fieldId, folder: url.searchParams.get('folder') ?? '', returnTo };
}

export function pickUrl(request: PickRequest): string {
	const query = new URLSearchParams({ pick: request.fieldId, folder: request.folder, return: request.returnTo });
	return `/models?${query}`;
}

class ModelPickStore {
	#pending = $state<ModelPick | null>(null);

	get pending(): ModelPick | null {
		return this.#pending;
	}

	choose(pick: ModelPick): void {
		this.#pending = pick;
	}

	/** The model chosen for this field, once: the pick is cleared so a later visit does not re-apply it. */
	take(fieldId: string): string | undefined {
		const pick = this.#pending;
		if (!pick || pick.fieldId !== fieldId) return undefined;
		this.#pending = null;
		return pick.model;
	}

	cancel(): void {
		this.#pending = null;
	}
}

export const modelPick = new ModelPickStore();
