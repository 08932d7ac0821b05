import { describe, expect, it } from 'vitest';
import { initialValues, needsNodeInfo, nodeTitles, prepareRun } from '../../../src/lib/app/run/prepare';
import { loraPrompt, loraWorkflow, objectInfo } from './fixtures';

describe('prepareRun', () => {
	it('converts a UI workflow with the server node definitions and builds its form with prompts, seed and size', () => {
		const sut = prepareRun({ workflow: loraWorkflow }, objectInfo);
		if (!sut.ok) throw new Error(sut.error);
		const kinds = sut.model.fields.map((f) => [f.input, f.kind]);
		expect(kinds).toContainEqual(['seed', 'seed']);
		expect(kinds).toContainEqual(['width', 'int']);
		expect(sut.model.fields.filter((f) => f.role).map((f) => f.role).sort()).toEqual(['negative', 'positive']);
		expect(Object.keys(sut.prompt).sort()).toEqual(Object.keys(loraPrompt).sort());
	});

	it('uses an API prompt as it is', () => {
		const sut = prepareRun({ prompt: loraPrompt }, objectInfo);
		expect(sut.ok && sut.prompt).toBe(loraPrompt);
	});

	it('falls back to the prompt stored in the file when the graph cannot be converted, and says why', () => {
		const broken = { ...loraWorkflow, nodes: loraWorkflow.nodes.map((n) => (n.type === 'KSampler' ? { ...n, type: 'NoSuchSampler' } : n)) };
		const sut = prepareRun({ workflow: broken, prompt: loraPrompt }, objectInfo);
		if (!sut.ok) throw new Error(sut.error);
		expect(sut.prompt).toBe(loraPrompt);
		expect(sut.warnings[0]).toMatch(/^Using the prompt stored in the file/);
	});

	it('explains that the node definitions are needed when none were ever loaded', () => {
		expect(prepareRun({ workflow: loraWorkflow }, null)).toEqual({ ok: false, error: needsNodeInfo() });
		expect(prepareRun({}, objectInfo)).toMatchObject({ ok: false });
	});
});

describe('initialValues', () => {
	it('starts from the workflow values and overlays last-used values of fields that still exist', () => {
		const prepared = prepareRun({ prompt: loraPrompt }, objectInfo);
		if (!prepared.ok) throw new Error(prepared.error);
		const seed = prepared.model.fields.find((f) => f.kind === 'seed')!;
		const sut = initialValues(prepared.model, { [seed.id]: 1234, 'gone.input': 5 });
		expect(sut[seed.id]).toBe(1234);
		expect('gone.input' in sut).toBe(false);
		expect(Object.keys(sut)).toHaveLength(prepared.model.fields.length);
	});
});

describe('nodeTitles', () => {
	it('names nodes by their title, else their class', () => {
		const sut = nodeTitles({ '1': { class_type: 'KSampler', inputs: {}, _meta: { title: 'Sampler A' } }, '2': { class_type: 'VAEDecode', inputs: {} } });
		expect(sut).toEqual({ '1': 'Sampler A', '2': 'VAEDecode' });
	});
});
