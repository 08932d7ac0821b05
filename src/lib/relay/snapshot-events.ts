// A phone that joins late (or comes back after the relay restarted) gets a snapshot instead of a replay. This turns
// it into the same ComfyEvents a live socket would have produced, so the JobTracker needs no relay-specific path.
import { eventFromWire, type ComfyEvent } from '../comfy/events';
import { toMessage } from '../comfy/messages';
import { base64ToBytes, type RelayResult, type RelaySnapshot } from './protocol';

function message(type: string, data: Record<string, unknown>): ComfyEvent[] {
	const parsed = toMessage({ type, data });
	return parsed ? [{ type: 'message', message: parsed }] : [];
}

function resultEvents(result: RelayResult): ComfyEvent[] {
	const prompt_id = result.promptId;
	const events = Object.entries(result.outputs).flatMap(([node, output]) => message('executed', { node, display_node: node, output, prompt_id }));
	if (result.status === 'succeeded') events.push(...message('execution_success', { prompt_id }));
	else if (result.status === 'interrupted') events.push(...message('execution_interrupted', { prompt_id, node_id: result.error?.nodeId ?? '', node_type: result.error?.nodeType ?? '' }));
	else {
		events.push(
			...message('execution_error', {
				prompt_id,
				node_id: result.error?.nodeId ?? '',
				node_type: result.error?.nodeType ?? '',
				exception_message: result.error?.message ?? 'The prompt failed.',
				exception_type: result.error?.exceptionType ?? '',
				traceback: []
			})
		);
	}
	events.push(...message('executing', { node: null, prompt_id }));
	return events;
}

export function snapshotEvents(snapshot: RelaySnapshot): ComfyEvent[] {
	const events: ComfyEvent[] = [];
	if (snapshot.queueRemaining !== null) events.push(...message('status', { status: { exec_info: { queue_remaining: snapshot.queueRemaining } } }));
	for (const result of snapshot.recentResults) events.push(...resultEvents(result));
	const run = snapshot.running;
	if (run) {
		const prompt_id = run.promptId;
		// ComfyUI's execution_start carries the start time; the relay noted when it saw it, so elapsed time is right.
		events.push(...message('execution_start', { prompt_id, timestamp: run.startedAt }));
		if (run.cachedNodes.length > 0) events.push(...message('execution_cached', { prompt_id, nodes: run.cachedNodes }));
		if (run.nodeId !== null) events.push(...message('executing', { node: run.nodeId, display_node: run.nodeId, prompt_id }));
		if (run.progress) {
			const progress: Record<string, unknown> = { value: run.progress.value, max: run.progress.max, prompt_id };
			if (run.progress.nodeId !== undefined) progress.node = run.progress.nodeId;
			events.push(...message('progress', progress));
		}
		const preview = snapshot.lastPreview ? eventFromWire(base64ToBytes(snapshot.lastPreview.frame)) : null;
		if (preview) events.push(preview);
	}
	return events;
}
