// What the relay knows about ComfyUI's activity under its clientId, folded from the messages it forwards:
// queue length, the running prompt (node, progress, cached nodes, last preview) and how recent prompts ended.
// The snapshot built from it lets a phone that joins late catch up without a replay.
import type { ComfyMessage } from '../../src/lib/comfy/messages';
import type { NodeOutput } from '../../src/lib/comfy/types';
import type { RelayResult, RelaySnapshot, RunningPrompt, UpstreamState } from '../../src/lib/relay/protocol';
import { bytesToBase64 } from '../../src/lib/relay/protocol';

export const RECENT_RESULTS = 20;

export class RelayState {
	queueRemaining: number | null = null;
	running: RunningPrompt | null = null;
	#lastPreview: { seq: number; frame: Uint8Array } | null = null;
	readonly #outputs = new Map<string, Record<string, NodeOutput>>();
	#results: RelayResult[] = [];

	constructor(
		restoredResults: RelayResult[] = [],
		private readonly now: () => number = Date.now
	) {
		this.#results = restoredResults.slice(-RECENT_RESULTS);
	}

	get results(): readonly RelayResult[] {
		return this.#results;
	}

	hasResult(promptId: string): boolean {
		return this.#results.some((r) => r.promptId === promptId);
	}

	/** Folds one message in; returns the result when it ended a prompt. */
	apply(message: ComfyMessage, source: RelayResult['source'] = 'live'): RelayResult | null {
		switch (message.type) {
			case 'status':
				this.queueRemaining = message.data.status.exec_info.queue_remaining;
				return null;
			case 'execution_start':
				this.#begin(message.data.prompt_id);
				return null;
			case 'execution_cached':
				this.#begin(message.data.prompt_id).cachedNodes = [...message.data.nodes];
				return null;
			case 'executing': {
				const promptId = message.data.prompt_id ?? this.running?.promptId;
				if (!promptId || message.data.node === null) return null;
				const run = this.#begin(promptId);
				run.nodeId = message.data.display_node ?? message.data.node;
				return null;
			}
			case 'progress': {
				const promptId = message.data.prompt_id ?? this.running?.promptId;
				if (!promptId) return null;
				this.#begin(promptId).progress = { value: message.data.value, max: message.data.max, nodeId: message.data.node };
				return null;
			}
			case 'executed': {
				const outputs = this.#outputs.get(message.data.prompt_id) ?? {};
				if (message.data.output) outputs[message.data.display_node ?? message.data.node] = message.data.output;
				this.#outputs.set(message.data.prompt_id, outputs);
				return null;
			}
			case 'execution_success':
				return this.#end(message.data.prompt_id, 'succeeded', source);
			case 'execution_error':
				return this.#end(message.data.prompt_id, 'failed', source, {
					message: message.data.exception_message,
					nodeId: message.data.node_id,
					nodeType: message.data.node_type,
					exceptionType: message.data.exception_type
				});
			case 'execution_interrupted':
				return this.#end(message.data.prompt_id, 'interrupted', source);
			default:
				return null;
		}
	}

	/** Keeps only the newest preview, and only while its prompt runs. */
	notePreview(seq: number, frame: Uint8Array): void {
		this.#lastPreview = { seq, frame };
	}

	snapshot(upstream: UpstreamState): RelaySnapshot {
		return {
			queueRemaining: this.queueRemaining,
			running: this.running ? { ...this.running, cachedNodes: [...this.running.cachedNodes] } : null,
			lastPreview: this.#lastPreview ? { seq: this.#lastPreview.seq, frame: bytesToBase64(this.#lastPreview.frame) } : null,
			recentResults: [...this.#results],
			upstream
		};
	}

	#begin(promptId: string): RunningPrompt {
		if (this.running?.promptId !== promptId) {
			this.running = { promptId, nodeId: null, progress: null, cachedNodes: [], startedAt: this.now() };
			this.#lastPreview = null;
		}
		return this.running;
	}

	#end(promptId: string, status: RelayResult['status'], source: RelayResult['source'], error?: RelayResult['error']): RelayResult | null {
		if (this.running?.promptId === promptId) {
			this.running = null;
			this.#lastPreview = null;
		}
		const outputs = this.#outputs.get(promptId) ?? {};
		this.#outputs.delete(promptId);
		if (this.hasResult(promptId)) return null;
		const result: RelayResult = { promptId, status, outputs, endedAt: this.now(), source };
		if (error) result.error = error;
		this.#results = [...this.#results, result].slice(-RECENT_RESULTS);
		return result;
	}
}
