// An uploaded picture as an input value, and a prompt with one value swapped for another (the outbox and a pool
// upload a picture late, then put the name the server gave it into the prompt). Pure.
import type { ApiPrompt, UploadResult } from './types';

/** The value a LoadImage-style input takes for an upload: `sub/name.png`, with ` [temp]` for non-input types. */
export function imageInputValue(upload: UploadResult): string {
	const path = upload.subfolder ? `${upload.subfolder}/${upload.name}` : upload.name;
	return upload.type && upload.type !== 'input' ? `${path} [${upload.type}]` : path;
}

/** The prompt with every input that holds `from` set to `to`. */
export function replaceValue(prompt: ApiPrompt, from: string, to: string): ApiPrompt {
	if (from === to) return prompt;
	const next: ApiPrompt = {};
	for (const [id, node] of Object.entries(prompt)) {
		const inputs = Object.fromEntries(Object.entries(node.inputs).map(([name, value]) => [name, value === from ? to : value]));
		next[id] = { ...node, inputs };
	}
	return next;
}
