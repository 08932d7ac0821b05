// Reads the recorded captures of the real ComfyUI 0.3.64 server (tests/fixtures/captures).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../fixtures/captures/', import.meta.url));

export function captureBytes(path: string): Uint8Array {
	return new Uint8Array(readFileSync(root + path));
}

export interface TranscriptLine {
	t_ms: number;
	dir: 'recv' | 'sent' | 'meta' | 'mark';
	kind: 'text' | 'binary' | 'meta' | 'mark';
	raw?: string;
	msg?: { type: string; data: Record<string, unknown> };
	label?: string;
	len?: number;
	event?: number;
	format_code?: number;
	metadata?: Record<string, unknown>;
	metadata_len?: number;
	image_type?: string;
	image_bytes?: number;
	image_size?: [number, number];
	node_id?: string;
	text?: string;
}

export function transcript(name: string): TranscriptLine[] {
	return readFileSync(`${root}ws/${name}.jsonl`, 'utf8')
		.split('\n')
		.filter((line) => line.trim() !== '')
		.map((line) => JSON.parse(line) as TranscriptLine);
}

/** The `response.json` of a recorded HTTP exchange. */
export function httpJson<T = unknown>(name: string): T {
	const exchange = JSON.parse(readFileSync(`${root}http/${name}.json`, 'utf8')) as { response: { json: T } };
	return exchange.response.json;
}

export interface HttpExchange {
	request: { method: string; path: string; json?: unknown; body?: string };
	response: { status: number; reason?: string; headers: Record<string, string>; json?: unknown; text?: string };
}

export function httpExchange(name: string): HttpExchange {
	return JSON.parse(readFileSync(`${root}http/${name}.json`, 'utf8')) as HttpExchange;
}
