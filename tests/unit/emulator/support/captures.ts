// Loads the capture transcripts (tests/fixtures/captures/ws/*.jsonl, or captures-2026 for the 2026 profile) into Recorder's shape, and normalizes both
// sides so they compare "ids and timestamps aside": prompt ids become P1, P2… in order of appearance, timestamps
// and generated sids become placeholders, and Python-only details (tracebacks, tensor reprs) become their shape.
import { readFileSync } from 'node:fs';
import type { Recorded } from './recorder';

/** Which recording: ComfyUI 0.3.64 (`captures`, the default) or 0.33.0 (`captures-2026`). */
export type CaptureSet = 'captures' | 'captures-2026';
const dirOf = (set: CaptureSet, kind: 'ws' | 'http') => new URL(`../../../fixtures/${set}/${kind}/`, import.meta.url);

interface CaptureLine {
	dir: 'recv' | 'sent' | 'meta' | 'mark';
	kind: string;
	msg?: { type: string; data: Record<string, unknown> };
	event?: number;
	format_code?: number;
	metadata?: Record<string, unknown>;
	image_type?: string;
	node_id?: string;
	text?: string;
	label?: string;
}

/** The received messages of a capture client, optionally only those after the mark starting with `afterMark`
 *  (and before the next mark starting with `untilMark`). */
export function captured(file: string, afterMark?: string, set: CaptureSet = 'captures', untilMark?: string): Recorded[] {
	const lines = readFileSync(new URL(`${file}.jsonl`, dirOf(set, 'ws')), 'utf8')
		.split('\n')
		.filter(Boolean)
		.map((l) => JSON.parse(l) as CaptureLine);
	const start = afterMark ? lines.findIndex((l) => l.dir === 'mark' && l.label?.startsWith(afterMark)) : 0;
	if (start < 0) throw new Error(`no mark ${afterMark} in ${file}`);
	const end = untilMark ? lines.findIndex((l, i) => i > start && l.dir === 'mark' && l.label?.startsWith(untilMark)) : -1;
	if (untilMark && end < 0) throw new Error(`no mark ${untilMark} after ${afterMark} in ${file}`);
	return lines.slice(start, end < 0 ? undefined : end).flatMap((l): Recorded[] => {
		if (l.dir !== 'recv') return [];
		if (l.kind === 'text') return [{ kind: 'text', msg: l.msg! }];
		if (l.event === 3) return [{ kind: 'binary', event: 3, nodeId: l.node_id, text: l.text }];
		if (l.event === 1) return [{ kind: 'binary', event: 1, format: l.format_code, imageType: l.image_type }];
		return [{ kind: 'binary', event: l.event!, meta: l.metadata, imageType: l.image_type }];
	});
}

export interface HttpCapture {
	request: Record<string, unknown>;
	response: { status: number; json?: unknown; text?: string; headers?: Record<string, string> };
}

export function httpCapture(name: string, set: CaptureSet = 'captures'): HttpCapture {
	return JSON.parse(readFileSync(new URL(`${name}.json`, dirOf(set, 'http')), 'utf8'));
}

/** Normalizes values in place of ids, times and Python-only text; ids are numbered per call, in order. */
export function normalize(records: Recorded[]): unknown[] {
	const ids = new Map<string, string>();
	const idOf = (v: string) => {
		if (!ids.has(v)) ids.set(v, `P${ids.size + 1}`);
		return ids.get(v)!;
	};
	const walk = (value: unknown, key?: string): unknown => {
		if (key === 'prompt_id' && typeof value === 'string') return idOf(value);
		if (key === 'timestamp') return 'T';
		if (key === 'sid' && typeof value === 'string' && /^[0-9a-f]{32}$/.test(value)) return 'SID';
		if (key === 'traceback') return Array.isArray(value) ? 'TRACEBACK' : value;
		if (key === 'current_inputs' && value && typeof value === 'object') return Object.keys(value).sort();
		if (key === 'current_outputs' && Array.isArray(value)) return [...value].sort();
		if (key === 'filename' && typeof value === 'string') return value.replace(/_temp_[a-z]{5}_/, '_temp_XXXXX_');
		if (Array.isArray(value)) return value.map((v) => walk(v));
		if (value && typeof value === 'object') {
			return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v, k)]));
		}
		return value;
	};
	return records.map((r) => walk(r));
}


/** A `GET /history/{id}` body normalized like the messages, with the queue number (a session counter) aside too. */
export function normalizeHistory(history: Record<string, { prompt: unknown[] } & Record<string, unknown>>): unknown {
	const entries = Object.values(history);
	if (entries.length !== 1) return history;
	const [entry] = entries;
	return normalize([{ ...entry, prompt: ['NUMBER', 'PROMPT_ID', ...entry.prompt.slice(2)] } as never]);
}

/** The prompt id of the first execution_start among recorded messages. */
export function promptIdOf(records: Recorded[]): string {
	for (const r of records) if (r.kind === 'text' && r.msg.type === 'execution_start') return r.msg.data.prompt_id as string;
	throw new Error('no execution_start recorded');
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TIME_KEYS = new Set(['timestamp', 'create_time', 'execution_start_time', 'execution_end_time']);

/**
 * An HTTP body (jobs, history, queue) or message list normalized for the 2026 comparisons: every UUID (value or
 * key) becomes J1, J2… in order of appearance, times and queue numbers become T and N, tracebacks and tensor reprs their shape, and a file
 * counter `_00004_` becomes `_NNNNN_` (the captured session saved files in scenarios these tests do not replay).
 */
export function normalizeJson(value: unknown, ids = new Map<string, string>()): unknown {
	const idOf = (v: string) => {
		if (!ids.has(v)) ids.set(v, `J${ids.size + 1}`);
		return ids.get(v)!;
	};
	const walk = (v: unknown, key?: string): unknown => {
		if (key !== undefined && TIME_KEYS.has(key) && typeof v === 'number') return 'T';
		if (key === 'traceback') return Array.isArray(v) ? 'TRACEBACK' : v;
		// Queue numbers are a session counter.
		if ((key === 'priority' || key === 'number') && typeof v === 'number') return 'N';
		if (key === 'prompt' && Array.isArray(v) && typeof v[0] === 'number') return walk(['N', ...v.slice(1)]);
		if ((key === 'queue_running' || key === 'queue_pending') && Array.isArray(v)) return v.map((item: unknown[]) => walk(['N', ...item.slice(1)]));
		if (key === 'current_inputs' && v && typeof v === 'object') return Object.keys(v).sort();
		if (key === 'current_outputs' && Array.isArray(v)) return [...v].sort();
		if (key === 'sid' && typeof v === 'string' && /^[0-9a-f]{32}$/.test(v)) return 'SID';
		if (typeof v === 'string') return UUID.test(v) ? idOf(v) : v.replace(/_\d{5}_\./, '_NNNNN_.');
		if (Array.isArray(v)) return v.map((x) => walk(x));
		if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [UUID.test(k) ? idOf(k) : k, walk(x, k)]));
		return v;
	};
	return walk(value);
}

/** Recorded messages normalized like normalizeJson; an initial run of `racy` messages (whose order against the
 *  run's first messages depends on timing, e.g. `status` of prompts queued right after the first) is sorted. */
export function normalizeRun(records: Recorded[], racyUntilFirstBinary = false): unknown[] {
	const normalized = normalizeJson(records) as unknown[];
	if (!racyUntilFirstBinary) return normalized;
	const cut = records.findIndex((r) => r.kind === 'binary');
	const head = normalized.slice(0, cut < 0 ? normalized.length : cut).map((r) => JSON.stringify(r)).sort();
	return [...head, ...normalized.slice(head.length)];
}
