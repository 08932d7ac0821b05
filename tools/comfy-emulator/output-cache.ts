// Node results by cache signature. Like the server's classic cache, results survive into the next prompt only
// where that prompt has a node with the same signature; everything else is dropped when a prompt starts.
import type { NodeOutput } from '../../src/lib/comfy/types';
import type { Value } from './values';

export interface CachedResult {
	outputs: Value[];
	ui: NodeOutput | null;
}

export class OutputCache {
	#entries = new Map<string, CachedResult>();

	has(signature: string): boolean {
		return this.#entries.has(signature);
	}

	get(signature: string): CachedResult | undefined {
		return this.#entries.get(signature);
	}

	set(signature: string, result: CachedResult): void {
		this.#entries.set(signature, result);
	}

	keepOnly(signatures: Set<string>): void {
		for (const key of this.#entries.keys()) if (!signatures.has(key)) this.#entries.delete(key);
	}
}
