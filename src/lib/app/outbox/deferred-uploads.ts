// Pictures chosen on the Run form while the server is away: kept on the phone under a placeholder value (the
// file's name, made unique) that the form shows and the prompt carries; the outbox uploads them when it sends.
import type { ApiPrompt } from '$lib/comfy/types';
import type { OutboxUpload } from '$lib/storage';

export class DeferredUploads {
	#held = new Map<string, OutboxUpload>();

	/** The value the image input takes until the picture is uploaded. */
	hold(blob: Blob, fileName: string): string {
		let value = fileName;
		for (let n = 2; this.#held.has(value) && this.#held.get(value)?.blob !== blob; n++) value = numbered(fileName, n);
		this.#held.set(value, { value, fileName, blob });
		return value;
	}

	/** The held pictures this prompt refers to. */
	usedBy(prompt: ApiPrompt): OutboxUpload[] {
		if (this.#held.size === 0) return [];
		const values = new Set(Object.values(prompt).flatMap((node) => Object.values(node.inputs)));
		return [...this.#held.values()].filter((upload) => values.has(upload.value));
	}
}

function numbered(fileName: string, n: number): string {
	const dot = fileName.lastIndexOf('.');
	return dot > 0 ? `${fileName.slice(0, dot)} (${n})${fileName.slice(dot)}` : `${fileName} (${n})`;
}
