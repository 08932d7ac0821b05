// Every corpus prompt (inputs added since it was saved filled with their defaults) runs to success on the
// emulator, with sampler progress for its uncached samplers and an image per SaveImage/PreviewImage batch item.
import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiPrompt, NodeErrors, ObjectInfo } from '../../../src/lib/comfy/types';
import { startEmulator, type Emulator } from '../../../tools/comfy-emulator/server';
import { defaultOf } from './support/defaults';
import { Recorder } from './support/recorder';
import { A, post } from './support/scenario';

const CORPUS = new URL('../../fixtures/corpus/workflows/', import.meta.url);
const corpus = readdirSync(CORPUS)
	.filter((f) => f.endsWith('.prompt.json'))
	.map((f) => [f.replace('.prompt.json', ''), JSON.parse(readFileSync(new URL(f, CORPUS), 'utf8')) as ApiPrompt] as const);

let sut: Emulator;
let a: Recorder;
let objectInfo: ObjectInfo;

beforeAll(async () => {
	sut = await startEmulator({ stepMs: 0 });
	a = await Recorder.connect(sut.url, A);
	objectInfo = (await (await fetch(`${sut.url}/object_info`)).json()) as ObjectInfo;
});

afterAll(async () => {
	await a.close();
	await sut.close();
});

/** Queues the prompt; on required_input_missing, retries once with those inputs at their defaults. */
async function queue(original: ApiPrompt): Promise<string> {
	const prompt = structuredClone(original);
	for (let attempt = 0; attempt < 2; attempt++) {
		const res = await post(sut.url, '/prompt', { prompt, client_id: A });
		const body = (await res.json()) as { prompt_id?: string; node_errors: NodeErrors };
		if (res.status === 200) return body.prompt_id!;
		for (const [id, error] of Object.entries(body.node_errors)) {
			for (const e of error.errors) {
				expect(e.type).toBe('required_input_missing');
				prompt[id].inputs[e.details] = defaultOf(objectInfo[error.class_type].input.required![e.details]) as never;
			}
		}
	}
	throw new Error('still invalid after filling defaults');
}

describe('corpus prompts on the emulator', () => {
	it.each(corpus)('%s runs to success with its outputs in history', async (_, prompt) => {
		const from = a.records.length;
		const id = await queue(prompt);
		await a.waitForDone(id, from);
		const entry = sut.history()[id];
		expect(entry.status.status_str).toBe('success');
		const savers = Object.entries(entry.prompt[2]).filter(([, n]) => n.class_type === 'SaveImage' || n.class_type === 'PreviewImage');
		for (const [nodeId] of savers) expect(entry.outputs[nodeId]?.images?.length, nodeId).toBeGreaterThan(0);
		const cached = entry.status.messages[1][1].nodes as string[];
		const samplers = Object.entries(entry.prompt[2]).filter(([nodeId, n]) => /^KSampler/.test(n.class_type) && !cached.includes(nodeId)).length;
		const progressNodes = new Set(a.texts('progress').filter((m) => m.data.prompt_id === id).map((m) => m.data.node));
		expect(progressNodes.size).toBeGreaterThanOrEqual(samplers);
	});
});
