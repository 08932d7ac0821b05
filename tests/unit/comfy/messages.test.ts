import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseMessage, toMessage } from '$lib/comfy/messages';
import { transcript } from './capture-files';

const wsDir = fileURLToPath(new URL('../../fixtures/captures/ws/', import.meta.url));
const transcripts = readdirSync(wsDir)
	.filter((f) => f.endsWith('.jsonl'))
	.map((f) => f.replace(/\.jsonl$/, ''));

describe('parseMessage on every captured text message', () => {
	it.each(transcripts)('parses every message of %s to its recorded type and data', (name) => {
		for (const line of transcript(name)) {
			if (line.dir !== 'recv' || line.kind !== 'text') continue;
			const message = parseMessage(line.raw!);
			expect(message, line.raw).not.toBeNull();
			expect(message!.type).toBe(line.msg!.type);
			expect(message!.data).toEqual(line.msg!.data);
		}
	});
});

describe('parseMessage on unknown and malformed input', () => {
	it('ignores message types it does not know (custom nodes, Manager, logs)', () => {
		for (const type of ['crystools.monitor', 'cm-queue-status', 'logs', 'notification', 'img-send']) {
			expect(parseMessage(JSON.stringify({ type, data: { anything: 1 } }))).toBeNull();
		}
	});

	it('ignores text that is not JSON, and JSON that is not a message', () => {
		for (const text of ['', 'hello', '{', '[]', 'null', '42', '{"type":"status"}', '{"data":{}}', '{"type":"status","data":[]}']) {
			expect(parseMessage(text)).toBeNull();
		}
	});

	it('rejects known types whose required fields are missing or of the wrong type', () => {
		const bad = [
			{ type: 'status', data: { status: {} } },
			{ type: 'execution_start', data: { timestamp: 1 } },
			{ type: 'execution_cached', data: { prompt_id: 'p', nodes: [1] } },
			{ type: 'executing', data: { node: 5 } },
			{ type: 'progress', data: { value: '3', max: 20 } },
			{ type: 'progress_state', data: { prompt_id: 'p', nodes: { '1': { value: 1 } } } },
			{ type: 'executed', data: { node: '9', prompt_id: 'p', output: 'x' } },
			{ type: 'execution_error', data: { prompt_id: 'p', node_id: '1' } },
			{ type: 'execution_success', data: {} }
		];
		for (const value of bad) expect(toMessage(value), JSON.stringify(value)).toBeNull();
	});

	it('reads Python NaN in a message, e.g. an executed output holding a float', () => {
		const message = parseMessage('{"type": "executed", "data": {"node": "9", "prompt_id": "p", "output": {"value": [NaN]}}}');
		expect(message?.type === 'executed' && message.data.output).toEqual({ value: [null] });
	});

	it('does not treat inherited object keys as message types', () => {
		expect(parseMessage('{"type":"constructor","data":{}}')).toBeNull();
		expect(parseMessage('{"type":"__proto__","data":{}}')).toBeNull();
	});

	it('accepts the replayed executing without prompt_id and the final executing with a null node', () => {
		expect(parseMessage('{"type":"executing","data":{"node":"1"}}')).toEqual({ type: 'executing', data: { node: '1' } });
		expect(parseMessage('{"type":"executing","data":{"node":null,"prompt_id":"p"}}')?.type).toBe('executing');
	});

	it('accepts a cached output node whose executed output is null', () => {
		expect(parseMessage('{"type":"executed","data":{"node":"9","prompt_id":"p","output":null}}')?.type).toBe('executed');
	});

	it('gives an execution_error without traceback an empty one, so the UI need not check', () => {
		const message = parseMessage('{"type":"execution_error","data":{"prompt_id":"p","node_id":"4","node_type":"X","exception_message":"boom"}}');
		expect(message?.type === 'execution_error' && message.data.traceback).toEqual([]);
	});
});
