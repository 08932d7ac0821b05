// Bad input never breaks the emulator: validation answers every JSON prompt with a result instead of throwing,
// and the server answers every /prompt body with 200, 400 or the real server's 500 page and keeps serving.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Catalog } from '../../../tools/comfy-emulator/catalog';
import { startEmulator, type Emulator } from '../../../tools/comfy-emulator/server';
import { validatePrompt } from '../../../tools/comfy-emulator/validation';

const catalog = new Catalog();
const classes = ['KSampler', 'SaveImage', 'EmptyLatentImage', 'LoadImage', 'PreviewAny', 'VAEDecode', 'NoSuchNode'];
const ids = ['1', '2', '3', '99'];

const inputValue = fc.oneof(
	fc.jsonValue(),
	fc.tuple(fc.constantFrom(...ids), fc.integer({ min: -1, max: 3 })),
	fc.record({ __value__: fc.array(fc.jsonValue(), { maxLength: 3 }) })
);
const node = fc.record(
	{ class_type: fc.constantFrom(...classes), inputs: fc.dictionary(fc.constantFrom('images', 'samples', 'seed', 'steps', 'cfg', 'width', 'image', 'source', 'vae'), inputValue) },
	{ requiredKeys: [] }
);
const prompt = fc.dictionary(fc.constantFrom(...ids), node, { maxKeys: 4 });

let sut: Emulator;

beforeAll(async () => {
	sut = await startEmulator({ stepMs: 0 });
});

afterAll(async () => {
	await sut.close();
});

describe('robustness', () => {
	it('validation returns a result for any prompt-like JSON and never throws', () => {
		fc.assert(
			fc.property(prompt, (p) => {
				const result = validatePrompt(p, null, { def: (cls) => catalog.def(cls, []), imageExists: () => false });
				expect(typeof result.ok).toBe('boolean');
			}),
			{ numRuns: 500 }
		);
	});

	it('the server answers any /prompt body and keeps serving', async () => {
		await fc.assert(
			fc.asyncProperty(fc.oneof(fc.record({ prompt, client_id: fc.string() }), fc.jsonValue(), fc.string()), async (body) => {
				const res = await fetch(`${sut.url}/prompt`, { method: 'POST', body: typeof body === 'string' ? body : JSON.stringify(body) });
				expect([200, 400, 500]).toContain(res.status);
				await res.arrayBuffer();
			}),
			{ numRuns: 150 }
		);
		expect((await fetch(`${sut.url}/system_stats`)).status).toBe(200);
		// Whatever was accepted, the worker is not stuck: after a clear and an interrupt the queue empties.
		await fetch(`${sut.url}/queue`, { method: 'POST', body: JSON.stringify({ clear: true }) });
		await fetch(`${sut.url}/interrupt`, { method: 'POST' });
		let state = { queue_running: [1], queue_pending: [1] };
		for (let i = 0; i < 100 && state.queue_running.length + state.queue_pending.length > 0; i++) {
			state = await (await fetch(`${sut.url}/queue`)).json();
			await new Promise((resolve) => setTimeout(resolve, 50));
		}
		expect(state).toEqual({ queue_running: [], queue_pending: [] });
	});
});
