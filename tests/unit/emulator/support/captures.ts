// Loads the capture transcripts (tests/fixtures/captures/ws/*.jsonl) into Recorder's shape, and normalizes both
// sides so they compare "ids and timestamps aside": prompt ids become P1, P2… in order of appearance, timestamps
// and generated sids become placeholders, and Python-only details (tracebacks, tensor reprs) become their shape.
import { readFileSync } from 'node:fs';
import type { Recorded } from './recorder';

const WS_DIR = new URL('../../../fixtures/captures/ws/', import.meta.url);
const HTTP_DIR = new URL('../../../fixtures/captures/http/', import.meta.url);

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

/** The received messages of a capture client, optionally only those after the mark starting with `afterMark`. */
export function captured(file: string, afterMark?: string): Recorded[] {
	const lines = readFileSync(new URL(`${file}.jsonl`, WS_DIR), 'utf8')
		.split('\n')
		.filter(Boolean)
		.map((l) => JSON.parse(l) as CaptureLine);
	const start = afterMark ? lines.findIndex((l) => l.dir === 'mark' && l.label?.startsWith(afterMark)) : 0;
	if (start < 0) throw new Error(`no mark ${afterMark} in ${file}`);
	return lines.slice(start).flatMap((l): Recorded[] => {
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

export function httpCapture(name: string): HttpCapture {
	return JSON.parse(readFileSync(new URL(`${name}.json`, HTTP_DIR), 'utf8'));
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
