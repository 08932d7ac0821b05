// What a pool shows as one server, merged from its rigs' answers. Pure.
import type { History, InputSpec, NodeDef, ObjectInfo, OutputFile, QueueItem, QueueState } from '$lib/comfy/types';
import type { JobPage } from '$lib/comfy/job-types';

/**
 * One set of node definitions for the pool's form: every class any rig has; a combo lists the options of every rig
 * that has the class (the routing then sends a prompt only where its values exist). Other inputs: the first rig's.
 */
export function mergeObjectInfo(infos: readonly ObjectInfo[]): ObjectInfo {
	const merged: ObjectInfo = {};
	for (const info of infos) {
		for (const [name, def] of Object.entries(info)) {
			merged[name] = Object.hasOwn(merged, name) ? mergeDef(merged[name], def) : def;
		}
	}
	return merged;
}

function mergeDef(a: NodeDef, b: NodeDef): NodeDef {
	const input = { ...a.input };
	for (const section of ['required', 'optional'] as const) {
		const left = a.input?.[section];
		const right = b.input?.[section];
		if (!left || !right) {
			if (right && !left) input[section] = right;
			continue;
		}
		const out: Record<string, InputSpec> = { ...left };
		for (const [name, spec] of Object.entries(right)) out[name] = Object.hasOwn(left, name) ? mergeSpec(left[name], spec) : spec;
		input[section] = out;
	}
	return { ...a, input };
}

function mergeSpec(a: InputSpec, b: InputSpec): InputSpec {
	if (Array.isArray(a[0]) && Array.isArray(b[0])) return (a.length > 1 ? [union(a[0], b[0]), a[1]] : [union(a[0], b[0])]) as InputSpec;
	const ao = a[1] as { options?: unknown } | undefined;
	const bo = b[1] as { options?: unknown } | undefined;
	if (a[0] === 'COMBO' && b[0] === 'COMBO' && Array.isArray(ao?.options) && Array.isArray(bo?.options)) {
		return ['COMBO', { ...ao, options: union(ao.options, bo.options) }] as InputSpec;
	}
	return a;
}

function union(a: readonly unknown[], b: readonly unknown[]): unknown[] {
	const seen = new Set(a.map((v) => JSON.stringify(v)));
	return [...a, ...b.filter((v) => !seen.has(JSON.stringify(v)))];
}

/**
 * One queue: everything running anywhere, and the pending prompts in the order they should start across the pool
 * (each rig's first, then each rig's second…), numbered so that a job's place is "how many start before it".
 */
export function mergeQueues(queues: readonly QueueState[]): QueueState {
	const running: QueueItem[] = queues.flatMap((q) => q.queue_running);
	const pending = queues.map((q) => [...q.queue_pending].sort((a, b) => a[0] - b[0]));
	const interleaved: QueueItem[] = [];
	for (let i = 0; pending.some((p) => i < p.length); i++) {
		for (const list of pending) if (i < list.length) interleaved.push(list[i]);
	}
	return {
		queue_running: running,
		queue_pending: interleaved.map((item, i) => [i, item[1], item[2], item[3], item[4]] as QueueItem)
	};
}

/** The newest `max` entries of every rig's history, oldest first, as one server lists them. */
export function mergeHistories(histories: readonly History[], max: number): History {
	const all = histories.flatMap((h) => Object.entries(h));
	all.sort(([, a], [, b]) => endedAt(a) - endedAt(b));
	return Object.fromEntries(all.slice(Math.max(0, all.length - max)));
}

function endedAt(entry: History[string]): number {
	const messages = entry.status?.messages ?? [];
	let last = 0;
	for (const [, data] of messages) {
		const t = (data as { timestamp?: unknown })?.timestamp;
		if (typeof t === 'number' && t > last) last = t;
	}
	return last;
}

/** One page of jobs across rigs, newest first: each rig's page merged, cut at the limit. */
export function mergeJobPages(pages: readonly JobPage[], limit: number | null): JobPage {
	const jobs = pages.flatMap((p) => p.jobs).sort((a, b) => (b.create_time ?? 0) - (a.create_time ?? 0));
	const shown = limit === null ? jobs : jobs.slice(0, limit);
	const total = pages.reduce((n, p) => n + p.pagination.total, 0);
	return { jobs: shown, pagination: { offset: 0, limit, total, has_more: pages.some((p) => p.pagination.has_more) || shown.length < jobs.length } };
}

/** Where an output file lives: the same name may exist on two rigs, so the key is the whole reference. */
export function fileKey(file: Pick<OutputFile, 'filename' | 'subfolder' | 'type'>): string {
	return `${file.type || 'output'}/${file.subfolder ?? ''}/${file.filename}`;
}
