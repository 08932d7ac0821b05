// After a gap in the upstream socket, ComfyUI's events for that time are gone (it buffers nothing). The queue
// and /history/{id} are the source of truth: a tracked prompt that is neither queued nor running has ended,
// and its history entry is turned back into the messages the phones would have seen.
import type { HistoryEntry, QueueState } from '../../src/lib/comfy/types';

/** Both reject when ComfyUI cannot be asked; `getHistory` resolves null for a prompt it does not know. */
export interface ReconcileSource {
	getQueue(): Promise<QueueState>;
	getHistory(promptId: string): Promise<HistoryEntry | null>;
}

export interface Reconciled {
	/** Prompts that ended during the gap, with the messages that tell their outcome. */
	ended: { promptId: string; messages: Record<string, unknown>[] }[];
	/** Still queued or running: their events will arrive live on the new socket. */
	pending: string[];
	/** Neither queued nor in history: ComfyUI no longer knows them (it restarted and lost its history). */
	lost: string[];
}

const FINAL_EVENTS = new Set(['execution_success', 'execution_error', 'execution_interrupted']);

/** The `executed` messages and the final outcome message a history entry stands for. */
export function historyToMessages(promptId: string, entry: HistoryEntry): Record<string, unknown>[] {
	const messages: Record<string, unknown>[] = [];
	for (const [node, output] of Object.entries(entry.outputs ?? {})) {
		const display = entry.meta?.[node]?.display_node ?? node;
		messages.push({ type: 'executed', data: { node, display_node: display, output, prompt_id: promptId } });
	}
	const final = [...(entry.status?.messages ?? [])].reverse().find(([event]) => FINAL_EVENTS.has(event));
	if (final) {
		messages.push({ type: final[0], data: { ...final[1], prompt_id: promptId } });
	} else if (entry.status?.status_str === 'success' || entry.status?.completed) {
		messages.push({ type: 'execution_success', data: { prompt_id: promptId } });
	} else {
		messages.push({ type: 'execution_error', data: lostError(promptId, 'ComfyUI recorded this prompt as failed without details.') });
	}
	messages.push({ type: 'executing', data: { node: null, prompt_id: promptId } });
	return messages;
}

/** The message for a prompt ComfyUI forgot: the phone must learn it will not finish, not wait forever. */
export function lostPromptMessages(promptId: string): Record<string, unknown>[] {
	return [
		{ type: 'execution_error', data: lostError(promptId, 'ComfyUI no longer knows this prompt: it was probably restarted while the relay was disconnected.') },
		{ type: 'executing', data: { node: null, prompt_id: promptId } }
	];
}

function lostError(promptId: string, message: string): Record<string, unknown> {
	return { prompt_id: promptId, node_id: '', node_type: '', exception_message: message, exception_type: 'RelayReconcile', traceback: [] };
}

/** Null when ComfyUI could not be asked; the caller tries again later. */
export async function reconcile(source: ReconcileSource, promptIds: string[]): Promise<Reconciled | null> {
	try {
		return await classify(source, promptIds);
	} catch {
		return null;
	}
}

async function classify(source: ReconcileSource, promptIds: string[]): Promise<Reconciled> {
	const out: Reconciled = { ended: [], pending: [], lost: [] };
	if (promptIds.length === 0) return out;
	const queue = await source.getQueue();
	const active = new Set([...queue.queue_running, ...queue.queue_pending].map((item) => item[1]));
	for (const promptId of promptIds) {
		if (active.has(promptId)) {
			out.pending.push(promptId);
			continue;
		}
		const entry = await source.getHistory(promptId);
		if (entry) out.ended.push({ promptId, messages: historyToMessages(promptId, entry) });
		else out.lost.push(promptId);
	}
	return out;
}
