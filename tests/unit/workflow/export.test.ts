import { describe, expect, it } from 'vitest';
import { exportApiJson, exportUiWorkflow } from '../../../src/lib/workflow/export';
import { convertToApi } from '../../../src/lib/workflow/convert';
import { buildForm } from '../../../src/lib/workflow/form';
import { applyForm } from '../../../src/lib/workflow/apply';
import { corpusWorkflow, fixture, objectInfo } from './corpus';
import type { UiWorkflow } from '../../../src/lib/workflow/types';

function runWith(workflow: UiWorkflow, values: Record<string, unknown>) {
	const r = convertToApi(workflow, objectInfo);
	if (!r.ok) throw new Error(r.error);
	return applyForm(r.prompt, buildForm(r.prompt, objectInfo, { workflow }), values, { random: () => 0 }).prompt;
}

describe('exportUiWorkflow', () => {
	it.each([
		['with object info', true],
		['from the prompt order alone', false]
	])('writes the values that ran back into widgets_values, %s', (_how, withInfo) => {
		const workflow = corpusWorkflow('lora__lora_multiple');
		const prompt = runWith(workflow, { '3.seed': 99, '3.steps': 31, '6.text': '{a|b} fox', '5.height': 768, '10.lora_name': 'x.safetensors' });
		const out = exportUiWorkflow(workflow, prompt, withInfo ? objectInfo : undefined);
		const node = (id: number) => out.nodes.find((n) => n.id === id)?.widgets_values;
		expect(node(3)).toEqual([99, true, 31, 8, 'euler', 'normal', 1]);
		expect(node(6)).toEqual(['a fox']);
		expect(node(5)).toEqual([512, 768, 1]);
		expect(node(10)).toEqual(['x.safetensors', 1, 1]);
		expect(workflow.nodes.find((n) => n.id === 3)?.widgets_values).toEqual([513173432917412, true, 20, 8, 'euler', 'normal', 1]);
	});

	it('updates the PrimitiveNode that drives a widget, so the value survives reopening', () => {
		const workflow = fixture('reroutes-primitives.workflow.json');
		const prompt = runWith(workflow, { '5.width': 832 });
		const out = exportUiWorkflow(workflow, prompt, objectInfo);
		expect(out.nodes.find((n) => n.id === 20)?.widgets_values).toEqual([832, 'fixed']);
		const again = convertToApi(out, objectInfo);
		expect(again.ok && again.prompt['5'].inputs.width).toBe(832);
	});

	it('round-trips: converting the exported workflow gives the prompt that ran', () => {
		const workflow = corpusWorkflow('sdxl__sdxl_refiner_prompt_example');
		const r = convertToApi(workflow, objectInfo);
		if (!r.ok) throw new Error(r.error);
		const model = buildForm(r.prompt, objectInfo, { workflow });
		const values = Object.fromEntries(model.fields.filter((f) => f.kind === 'int' || f.kind === 'seed').map((f) => [f.id, (f.min ?? 0) + 1]));
		const ran = applyForm(r.prompt, model, values).prompt;
		const again = convertToApi(exportUiWorkflow(workflow, ran, objectInfo), objectInfo);
		expect(again.ok && again.prompt).toEqual(ran);
	});
});

describe('exportApiJson', () => {
	it('is the prompt as indented JSON', () => {
		const prompt = { '1': { class_type: 'X', inputs: { a: 1 } } };
		expect(JSON.parse(exportApiJson(prompt))).toEqual(prompt);
	});
});

describe('exportUiWorkflow into nested workflows', () => {
	function roundTrip(workflow: UiWorkflow, values: Record<string, unknown>) {
		const ran = runWith(workflow, values);
		const exported = exportUiWorkflow(workflow, ran, objectInfo);
		const again = convertToApi(exported, objectInfo);
		if (!again.ok) throw new Error(again.error);
		return { ran, exported, again: again.prompt };
	}

	it('writes promoted subgraph values to the instance and inner values to the definition', () => {
		const { ran, exported, again } = roundTrip(fixture('subgraphs.workflow.json'), { '5:1.text': 'an owl', '7:1.steps': 33, '7:2:1.width': 704 });
		expect(again).toEqual(ran);
		expect(exported.nodes.find((n) => n.id === 5)?.widgets_values).toEqual(['an owl']);
		expect(exported.nodes.find((n) => n.id === 6)?.widgets_values).toEqual(['blurry']);
		const sampler = exported.definitions?.subgraphs?.[1].nodes.find((n) => n.id === 1);
		expect(sampler?.widgets_values).toEqual([42, 'fixed', 33, 6.5, 'euler', 'normal', 1]);
	});

	it('writes proxied subgraph widgets back to the instance', () => {
		const workflow = fixture('subgraphs.workflow.json');
		const sampler = workflow.nodes.find((n) => n.id === 7);
		if (!sampler) throw new Error('fixture changed');
		sampler.properties = { proxyWidgets: [['1', 'seed'], ['1', 'control_after_generate'], ['1', 'steps']] };
		sampler.widgets_values = [5, 'fixed', 30];
		const { ran, exported, again } = roundTrip(workflow, { '7:1.steps': 44, '7:1.seed': 9 });
		expect(again).toEqual(ran);
		expect(exported.nodes.find((n) => n.id === 7)?.widgets_values).toEqual([9, 'fixed', 44]);
	});

	it('writes a legacy group node inner value into the group node list', () => {
		const { ran, exported, again } = roundTrip(corpusWorkflow('hidream__hidream_e1_example'), { '37:3.steps': 28, '37:1.noise_seed': 7 });
		expect(again).toEqual(ran);
		expect(exported.nodes.find((n) => n.id === 37)?.widgets_values).toEqual(['euler', 7, 'randomize', 'normal', 28, 1, 5, 2]);
	});
});
