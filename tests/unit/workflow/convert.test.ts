// The conversion rules the corpus never exercises, each on a fixture of our own (tests/fixtures/workflows/).
import { describe, expect, it } from 'vitest';
import type { ApiPrompt, ObjectInfo } from '../../../src/lib/comfy/types';
import { convertToApi } from '../../../src/lib/workflow/convert';
import { buildForm } from '../../../src/lib/workflow/form';
import { applyForm } from '../../../src/lib/workflow/apply';
import { applyCuration } from '../../../src/lib/workflow/curation';
import type { UiWorkflow } from '../../../src/lib/workflow/types';
import { corpusWorkflow, fixture, objectInfo } from './corpus';

const withExtra: ObjectInfo = { ...objectInfo, ...fixture<ObjectInfo>('object_info.extra.json') };

function stripMeta(prompt: ApiPrompt): ApiPrompt {
	return Object.fromEntries(Object.entries(prompt).map(([id, n]) => [id, { class_type: n.class_type, inputs: n.inputs }]));
}

function converted(name: string, info: ObjectInfo = objectInfo) {
	const r = convertToApi(fixture(`${name}.workflow.json`), info);
	if (!r.ok) throw new Error(r.error);
	return r;
}

describe('convertToApi on our own fixtures', () => {
	it.each([
		['subgraphs', objectInfo],
		['reroutes-primitives', objectInfo],
		['bypass', objectInfo],
		['combo-dict-dynamic', withExtra]
	] as const)('%s gives exactly the expected prompt', (name, info) => {
		expect(stripMeta(converted(name, info).prompt)).toEqual(fixture<ApiPrompt>(`${name}.prompt.json`));
	});

	it('gives subgraph inner nodes path ids, nested ones included, and titles from the workflow', () => {
		const { prompt } = converted('subgraphs');
		expect(Object.keys(prompt).sort()).toEqual(['1', '5:1', '6:1', '7:1', '7:2:1', '8', '9']);
		expect(prompt['8']._meta?.title).toBe('VAE Decode');
	});

	it('applies proxyWidgets values to subgraph inputs ("-1") and to inner widgets', () => {
		const workflow = fixture('subgraphs.workflow.json');
		const positive = workflow.nodes.find((n) => n.id === 5);
		const sampler = workflow.nodes.find((n) => n.id === 7);
		if (!positive || !sampler) throw new Error('fixture changed');
		positive.properties = { proxyWidgets: [['-1', 'text']] };
		positive.widgets_values = ['via proxy'];
		sampler.properties = { proxyWidgets: [['1', 'seed'], ['1', 'control_after_generate'], ['1', 'steps']] };
		sampler.widgets_values = [5, 'fixed', 30];
		const r = convertToApi(workflow, objectInfo);
		if (!r.ok) throw new Error(r.error);
		expect(r.prompt['5:1'].inputs.text).toBe('via proxy');
		expect(r.prompt['7:1'].inputs).toMatchObject({ seed: 5, steps: 30, cfg: 6.5 });
	});

	it('applies no proxyWidgets values when widgets_values is longer than proxyWidgets, and says so', () => {
		const workflow = fixture('subgraphs.workflow.json');
		const sampler = workflow.nodes.find((n) => n.id === 7);
		if (!sampler) throw new Error('fixture changed');
		sampler.properties = { proxyWidgets: [['1', 'seed'], ['1', 'steps']] };
		sampler.widgets_values = [5, 6, 7];
		const r = convertToApi(workflow, objectInfo);
		if (!r.ok) throw new Error(r.error);
		expect(r.prompt['7:1'].inputs).toMatchObject({ seed: 42, steps: 12 });
		expect(r.issues).toContainEqual(expect.objectContaining({ severity: 'warning', nodeId: '7', message: expect.stringContaining('do not line up') }));
	});

	it('pairs a shorter widgets_values with the first proxyWidgets entries; null and missing ones keep the inner values', () => {
		const workflow = fixture('subgraphs.workflow.json');
		const sampler = workflow.nodes.find((n) => n.id === 7);
		if (!sampler) throw new Error('fixture changed');
		sampler.properties = { proxyWidgets: [['1', 'seed'], ['1', 'steps'], ['1', 'cfg']] };
		sampler.widgets_values = [5, null];
		const r = convertToApi(workflow, objectInfo);
		if (!r.ok) throw new Error(r.error);
		expect(r.prompt['7:1'].inputs).toMatchObject({ seed: 5, steps: 12 });
		expect(r.issues.filter((i) => i.nodeId === '7')).toEqual([]);
	});

	it('uses the PrimitiveNode value rather than the value stored on its target', () => {
		const { prompt } = converted('reroutes-primitives');
		expect(prompt['5'].inputs.width).toBe(768);
		expect(prompt['5'].inputs.height).toBe(1024);
	});

	it('drops links from muted nodes and dangling links, keeping the widget value of a dangling widget socket', () => {
		const { prompt } = converted('reroutes-primitives');
		expect(prompt['8'].inputs).toEqual({});
		expect(prompt['3'].inputs.seed).toBe(7);
		expect(prompt['3'].inputs.negative).toBeUndefined();
		expect(prompt['25']).toBeUndefined();
		expect(prompt['30']).toBeUndefined();
	});

	it('reads dict-shaped widgets_values by name', () => {
		expect(converted('combo-dict-dynamic', withExtra).prompt['2'].inputs.text).toBe('from a dict');
	});

	it('sends dynamic prompts raw on conversion and resolves them when the form is applied', () => {
		const { prompt } = converted('combo-dict-dynamic', withExtra);
		const model = buildForm(prompt, withExtra);
		const field = model.fields.find((f) => f.id === '4.text');
		expect(field?.dynamicPrompts).toBe(true);
		const applied = applyForm(prompt, model, {}, { random: () => 0.9 });
		expect(applied.prompt['4'].inputs.text).toBe('a blue car \nin  rain');
		const hidden = applyCuration(model, { hidden: ['4.text'] });
		expect(hidden.fields.some((f) => f.id === '4.text')).toBe(false);
		expect(applyForm(prompt, hidden, {}, { random: () => 0 }).prompt['4'].inputs.text).toBe('a red car \nin  rain');
	});

	it('reports a node class the server lacks by node title, and does not guess', () => {
		const workflow = fixture('bypass.workflow.json');
		workflow.nodes.push({ id: 40, type: 'Flux2Scheduler', mode: 0, title: 'My scheduler', inputs: [], outputs: [], widgets_values: [20] });
		workflow.links.push([40, 40, 0, 11, 0, 'SIGMAS']);
		const r = convertToApi(workflow, objectInfo);
		expect(r.ok).toBe(false);
		if (r.ok) return;
		expect(r.error).toContain('"My scheduler"');
		expect(r.issues).toContainEqual(expect.objectContaining({ severity: 'error', nodeId: '40', nodeTitle: 'My scheduler' }));
	});

	it('leaves out, with a warning, an unknown node that nothing is connected to', () => {
		const workflow = fixture('bypass.workflow.json');
		workflow.nodes.push({ id: 41, type: 'Fast Groups Bypasser (rgthree)', mode: 0, inputs: [], outputs: [] });
		const r = convertToApi(workflow, objectInfo);
		expect(r.ok).toBe(true);
		expect(r.issues).toContainEqual(expect.objectContaining({ severity: 'warning', nodeId: '41', message: expect.stringContaining('left out') }));
	});

	it('does not mind a missing class on a muted or bypassed node', () => {
		const workflow = fixture('bypass.workflow.json');
		workflow.nodes.push({ id: 40, type: 'Flux2Scheduler', mode: 2, inputs: [], outputs: [] });
		expect(convertToApi(workflow, objectInfo).ok).toBe(true);
	});

	it('reports a widgets_values length that disagrees with the definition, by title', () => {
		const workflow = fixture('bypass.workflow.json');
		const sampler = workflow.nodes.find((n) => n.id === 11);
		if (!sampler) throw new Error('fixture changed');
		sampler.title = 'Main sampler';
		sampler.widgets_values = [1, 'fixed', 4, 2, 'euler', 'normal', 0.5, 'surplus'];
		const r = convertToApi(workflow, objectInfo);
		expect(r.ok && r.issues).toContainEqual(
			expect.objectContaining({ severity: 'warning', nodeTitle: 'Main sampler', message: expect.stringContaining('stores 8 widget values') })
		);
	});

	it('warns, by title, when saved values are of the wrong kind for their widgets', () => {
		const workflow = fixture('bypass.workflow.json');
		const sampler = workflow.nodes.find((n) => n.id === 11);
		if (!sampler) throw new Error('fixture changed');
		sampler.title = 'Old sampler';
		sampler.widgets_values = [1, 'fixed', 4, 'euler', 2, 'normal', 0.5];
		const r = convertToApi(workflow, objectInfo);
		const issues = r.issues.filter((i) => i.nodeTitle === 'Old sampler');
		expect(issues).toEqual([expect.objectContaining({ kind: 'schema-changed', inputNames: ['cfg', 'sampler_name'], message: expect.stringContaining('this node changed since the workflow was saved') })]);
	});

	it('realigns a save that predates the seed control value (the only layout all values fit)', () => {
		const workflow = fixture('bypass.workflow.json');
		const sampler = workflow.nodes.find((n) => n.id === 11);
		if (!sampler) throw new Error('fixture changed');
		sampler.widgets_values = [1, 4, 2, 'euler', 'normal', 0.5];
		const r = convertToApi(workflow, objectInfo);
		if (!r.ok) throw new Error(r.error);
		expect(r.prompt['11'].inputs).toMatchObject({ seed: 1, steps: 4, cfg: 2, sampler_name: 'euler', scheduler: 'normal', denoise: 0.5 });
		expect(r.issues.filter((i) => i.nodeId === '11')).toEqual([expect.objectContaining({ kind: 'realigned', message: expect.stringContaining('the control value of seed is new') })]);
	});

	it('expands a legacy group node with the group values, not the stale inner ones', () => {
		const r = convertToApi(corpusWorkflow('hidream__hidream_e1_example'), objectInfo);
		if (!r.ok) throw new Error(r.error);
		expect(r.prompt['37:1'].inputs.noise_seed).toBe(850933585641497);
		expect(r.prompt['37:3'].inputs).toMatchObject({ scheduler: 'normal', steps: 20, denoise: 1 });
		expect(r.prompt['37:7'].inputs).toMatchObject({ cfg_conds: 5, cfg_cond2_negative: 2, style: 'regular' });
		expect(r.prompt['37:2']).toBeUndefined();
	});

	it('mutes or bypasses every inner node of a muted or bypassed legacy group node', () => {
		for (const mode of [2, 4]) {
			const workflow = corpusWorkflow('hidream__hidream_e1_example');
			const group = workflow.nodes.find((n) => n.id === 37);
			if (!group) throw new Error('fixture changed');
			group.mode = mode;
			const r = convertToApi(workflow, objectInfo);
			if (!r.ok) throw new Error(r.error);
			expect(Object.keys(r.prompt).filter((id) => id.startsWith('37:'))).toEqual([]);
		}
	});

	it('returns a message instead of throwing for input that is not a workflow', () => {
		for (const bad of [null, 42, { nodes: 'x' }, { nodes: [{ id: 1 }] }, { nodes: [], links: [[1]] }]) {
			const r = convertToApi(bad as unknown as UiWorkflow, objectInfo);
			expect(r.ok).toBe(false);
			if (!r.ok) expect(r.error.length).toBeGreaterThan(10);
		}
	});

	it('resolves a chain of 20000 Reroutes, and a Reroute loop to nothing', () => {
		const workflow = fixture('reroutes-primitives.workflow.json');
		const chain = 20_000;
		const first = 1000;
		for (let i = 0; i < chain; i++) {
			const id = first + i;
			workflow.nodes.push({ id, type: 'Reroute', inputs: [{ name: '', type: '*', link: i === 0 ? 5000 : 5000 + i }], outputs: [] });
			workflow.links.push([5000 + i + 1, id, 0, id + 1, 0, '*']);
		}
		workflow.links.push([5000, 1, 0, first, 0, 'MODEL']);
		const sampler = workflow.nodes.find((n) => n.id === 3);
		const last = first + chain - 1;
		workflow.links.push([9000000, last, 0, 3, 0, 'MODEL']);
		if (sampler?.inputs) sampler.inputs[0].link = 9000000;
		const r = convertToApi(workflow, objectInfo);
		expect(r.ok && r.prompt['3'].inputs.model).toEqual(['1', 0]);

		const loop = fixture('reroutes-primitives.workflow.json');
		loop.nodes.push({ id: 500, type: 'Reroute', inputs: [{ name: '', type: '*', link: 501 }], outputs: [] });
		loop.nodes.push({ id: 501, type: 'Reroute', inputs: [{ name: '', type: '*', link: 500 }], outputs: [] });
		loop.links.push([500, 500, 0, 501, 0, '*'], [501, 501, 0, 500, 0, '*'], [502, 501, 0, 3, 0, 'MODEL']);
		const loopSampler = loop.nodes.find((n) => n.id === 3);
		if (loopSampler?.inputs) loopSampler.inputs[0].link = 502;
		const lr = convertToApi(loop, objectInfo);
		expect(lr.ok && lr.prompt['3'].inputs.model).toBeUndefined();
	});

	it('says there is nothing to run when no node would be sent', () => {
		const r = convertToApi({ nodes: [{ id: 1, type: 'Note', widgets_values: ['hi'] }], links: [] }, objectInfo);
		expect(r).toMatchObject({ ok: false, error: expect.stringContaining('nothing to run') });
	});

	it('survives a subgraph that contains itself', () => {
		const workflow = fixture('subgraphs.workflow.json');
		const defs = workflow.definitions?.subgraphs ?? [];
		defs[0].nodes.push({ id: 9, type: defs[0].id, inputs: [], outputs: [] });
		const r = convertToApi(workflow, objectInfo);
		expect(r.ok).toBe(false);
		expect(r.issues.some((i) => i.message.includes('contains itself'))).toBe(true);
	});
});

describe('the benchmark workflow', () => {
	it('has 1000 nodes and converts, bypassed LoRAs and virtual nodes left out', async () => {
		const { syntheticWorkflow } = await import('../../../tools/bench/workflow.bench');
		const workflow = syntheticWorkflow();
		expect(workflow.nodes).toHaveLength(1000);
		const r = convertToApi(workflow, objectInfo);
		if (!r.ok) throw new Error(r.error);
		const bypassed = workflow.nodes.filter((n) => n.mode === 4).length;
		const virtual = workflow.nodes.filter((n) => n.type === 'PrimitiveNode' || n.type === 'Reroute').length;
		expect(Object.keys(r.prompt)).toHaveLength(1000 - bypassed - virtual);
		expect(r.prompt['8'].inputs.width).toBe(768);
	});
});
