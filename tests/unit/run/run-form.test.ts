import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RunForm } from '../../../src/lib/app/run/form.svelte';
import { closeDb, getWorkflow, saveWorkflow, type WorkflowRecord } from '../../../src/lib/storage';
import { ComfyError } from '../../../src/lib/comfy/errors';
import { loraPrompt, loraWorkflow, objectInfo } from './fixtures';

beforeEach(() => {
	globalThis.indexedDB = new IDBFactory();
});
afterEach(async () => {
	await closeDb();
});

async function stored(extra: Partial<WorkflowRecord> = {}): Promise<WorkflowRecord> {
	return saveWorkflow({ name: 'LoRA multiple', source: { workflow: loraWorkflow as never, prompt: loraPrompt }, ...extra });
}

function loaded(record: WorkflowRecord): RunForm {
	const sut = new RunForm(record);
	sut.load(record, objectInfo);
	if (sut.loadError) throw new Error(sut.loadError);
	return sut;
}

/** The recorded server has none of this workflow's models: choose ones it has, as a user would. */
function pickInstalledModels(sut: RunForm): void {
	for (const f of sut.base!.fields) if ((f.kind === 'model' || f.kind === 'lora') && f.options?.length) sut.setValue(f.id, f.options[0]);
}

const byInput = (sut: RunForm, input: string) => sut.base!.fields.find((f) => f.input === input)!;

describe('RunForm', () => {
	it('opens with the workflow’s prompts, seed and size', async () => {
		const sut = loaded(await stored());
		const positive = sut.base!.fields.find((f) => f.role === 'positive')!;
		expect(String(sut.values[positive.id]).length).toBeGreaterThan(10);
		expect(sut.values[byInput(sut, 'width').id]).toBe(loraPrompt[byInput(sut, 'width').nodeId].inputs.width);
		expect(typeof sut.values[byInput(sut, 'seed').id]).toBe('number');
	});

	it('plans a batch whose prompts carry distinct seeds, then shows the next seed', async () => {
		const sut = loaded(await stored());
		const seed = byInput(sut, 'seed');
		sut.setSeedMode(seed.id, 'increment');
		sut.setValue(seed.id, 500);
		pickInstalledModels(sut);
		const runs = sut.plan(3)!;
		expect(runs.map((r) => r.prompt[seed.nodeId].inputs.seed)).toEqual([500, 501, 502]);
		expect(runs.map((r) => r.values[seed.id])).toEqual([500, 501, 502]);
		expect(sut.values[seed.id]).toBe(503);
	});

	it('refuses to plan with a model the server does not have, on that field', async () => {
		const sut = loaded(await stored());
		expect(sut.plan(1)).toBeNull();
		expect(sut.fieldErrors[byInput(sut, 'ckpt_name').id]?.[0]).toMatch(/not one of the choices/);
	});

	it('refuses to plan with a value out of range and puts the message on that field', async () => {
		const sut = loaded(await stored());
		pickInstalledModels(sut);
		const steps = byInput(sut, 'steps');
		sut.setValue(steps.id, 0);
		expect(sut.plan(1)).toBeNull();
		expect(sut.fieldErrors[steps.id]?.[0]).toMatch(/at least 1/);
		sut.setValue(steps.id, 20);
		expect(sut.fieldErrors[steps.id]).toBeUndefined();
	});

	it('flags the fields of a node that changed since the save and asks before sending them, once for those values', async () => {
		const workflow = structuredClone(loraWorkflow) as typeof loraWorkflow;
		const ks = workflow.nodes.find((n) => n.type === 'KSampler')!;
		(ks.widgets_values as unknown[])[2] = 'twenty';
		const sut = loaded(await stored({ source: { workflow: workflow as never } }));
		pickInstalledModels(sut);
		const steps = byInput(sut, 'steps');
		expect(steps.changed).toMatch(/changed since the workflow was saved/);
		expect(byInput(sut, 'cfg').changed).toBeUndefined();
		sut.setValue(steps.id, 25);
		expect(sut.plan(1)).toBeNull();
		expect(sut.review?.map((f) => f.id)).toEqual([steps.id]);
		sut.confirmReview();
		expect(sut.review).toBeNull();
		expect(sut.plan(1)?.[0].prompt[steps.nodeId].inputs.steps).toBe(25);
		// Another value for a flagged field is checked again.
		sut.setValue(steps.id, 30);
		expect(sut.plan(1)).toBeNull();
		expect(sut.review).not.toBeNull();
	});

	it('puts the server’s node errors on the field they concern and the rest in the banner', async () => {
		const sut = loaded(await stored());
		const steps = byInput(sut, 'steps');
		sut.showRejection(
			new ComfyError('rejected', 'Prompt outputs failed validation', {
				status: 400,
				nodeErrors: {
					[steps.nodeId]: {
						class_type: 'KSampler',
						dependent_outputs: ['9'],
						errors: [{ type: 'value_bigger_than_max', message: 'Value 20000 bigger than max of 10000', details: 'steps', extra_info: { input_name: 'steps' } }]
					}
				}
			})
		);
		expect(sut.fieldErrors[steps.id]?.join(' ')).toMatch(/bigger than max/);
	});

	it('keeps last-used values and seed controls per workflow across reopening', async () => {
		const record = await stored();
		const sut = loaded(record);
		const seed = byInput(sut, 'seed');
		sut.setValue(seed.id, 4242);
		sut.setSeedMode(seed.id, 'fixed');
		await sut.flush();
		const again = loaded((await getWorkflow(record.id))!);
		expect(again.values[seed.id]).toBe(4242);
		expect(again.runModel!.fields.find((f) => f.id === seed.id)!.seedControl).toBe('fixed');
	});

	it('stores the curation separately from the workflow and shows the form through it', async () => {
		const record = await stored();
		const sut = loaded(record);
		const seed = byInput(sut, 'seed');
		await sut.setCuration({ hidden: [seed.id] });
		expect(sut.model!.fields.some((f) => f.id === seed.id)).toBe(false);
		const saved = (await getWorkflow(record.id))!;
		expect(saved.curation).toEqual({ hidden: [seed.id] });
		expect(saved.source.workflow).toEqual(loraWorkflow);
	});

	it('names an error of a hidden field in the banner, since it cannot be shown inline', async () => {
		const sut = loaded(await stored());
		const steps = byInput(sut, 'steps');
		await sut.setCuration({ hidden: [steps.id] });
		sut.setValue(steps.id, -3);
		expect(sut.plan(1)).toBeNull();
		expect(sut.generalErrors.join(' ')).toMatch(/steps/i);
	});

	it('reuses the settings of a past result for the fields it still has', async () => {
		const sut = loaded(await stored());
		const seed = byInput(sut, 'seed');
		sut.reuse({ [seed.id]: 77, 'no.such': 1 });
		expect(sut.values[seed.id]).toBe(77);
		expect('no.such' in sut.values).toBe(false);
	});
});
