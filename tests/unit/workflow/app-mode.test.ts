import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildForm } from '../../../src/lib/workflow/form';
import { convertToApi } from '../../../src/lib/workflow/convert';
import { applyCuration } from '../../../src/lib/workflow/curation';
import { exportUiWorkflow } from '../../../src/lib/workflow/export';
import type { FormModel, UiWorkflow } from '../../../src/lib/workflow/types';
import type { ObjectInfo } from '../../../src/lib/comfy/types';
import { fixture, objectInfo } from './corpus';

const modern = path.resolve(__dirname, '../../fixtures/modern');
const objectInfo2026 = JSON.parse(readFileSync(path.join(modern, 'object_info-2026-05.json'), 'utf8')) as ObjectInfo;
const appModeFile = (): UiWorkflow => JSON.parse(readFileSync(path.join(modern, 'workflows', 'fe-app-mode-basic.json'), 'utf8')) as UiWorkflow;

function formOf(workflow: UiWorkflow, info: ObjectInfo): FormModel {
	const r = convertToApi(workflow, info);
	if (!r.ok) throw new Error(r.error);
	return buildForm(r.prompt, info, { workflow });
}

const front = (m: FormModel) => m.fields.filter((f) => !f.advanced).map((f) => f.id);

describe('App Mode (extra.linearData)', () => {
	it("opens the frontend's App Mode file with exactly its inputs, in its order, and its output", () => {
		const m = formOf(appModeFile(), objectInfo2026);
		expect(front(m)).toEqual(['3.seed', '3.steps', '3.cfg']);
		expect(m.fields.slice(0, 3).map((f) => f.id)).toEqual(['3.seed', '3.steps', '3.cfg']);
		expect(m.appMode).toEqual({ inputs: ['3.seed', '3.steps', '3.cfg'], outputs: ['9'], notes: [] });
		// The other values stay in the model (Edit form can bring them back), out of the App Mode's way.
		expect(m.fields.find((f) => f.id === '6.text')?.advanced).toBe(true);
	});

	it('resolves every id form against subgraphs and skips the rest with a note', () => {
		const workflow = fixture('subgraphs.workflow.json');
		const sub1 = '11111111-1111-4111-8111-111111111111';
		const sub2 = '22222222-2222-4222-8222-222222222222';
		workflow.extra = {
			linearData: {
				inputs: [
					[9, 'filename_prefix'], // a root node id as a number
					[5, 'text'], // a subgraph instance and the name of its promoted input
					['7:1', 'steps'], // a path id, as the converter names inner nodes
					[`${sub2}:1:cfg`, 'cfg'], // a WidgetId in a subgraph used once
					[`${sub1}:6`, 'text'], // a node locator: the promoted widget of root instance 6
					[`${sub1}:1:text`, 'text'], // a WidgetId in a subgraph used twice: ambiguous
					['42', 'seed'],
					'junk',
					['1', 'ckpt_name', { height: 2 }]
				],
				outputs: ['9', 7, 77]
			}
		};
		const m = formOf(workflow, objectInfo);
		expect(front(m)).toEqual(['9.filename_prefix', '5:1.text', '7:1.steps', '7:1.cfg', '6:1.text', '1.ckpt_name']);
		expect(m.appMode?.outputs).toEqual(['9', '7:1', '7:2:1']);
		expect(m.appMode?.notes).toHaveLength(4);
		expect(m.appMode?.notes.join('\n')).toMatch(/ambiguous/);
		expect(m.appMode?.notes.join('\n')).toMatch(/node 42/);
		expect(m.appMode?.notes.join('\n')).toMatch(/output 77/);
	});

	it('names an entry that is not an editable value of the form, and falls back to the usual form when none is', () => {
		const workflow = appModeFile();
		workflow.extra = { linearData: { inputs: [['3', 'model'], ['3', 'no_such_widget']], outputs: [] } };
		const m = formOf(workflow, objectInfo2026);
		expect(m.appMode?.inputs).toEqual([]);
		expect(m.appMode?.notes).toHaveLength(3);
		expect(front(m)).toContain('6.text');
	});

	it('keeps its order and outputs through curation and its linearData through export', () => {
		const workflow = appModeFile();
		const m = formOf(workflow, objectInfo2026);
		const curated = applyCuration(m, { labels: { '3.steps': 'Quality' }, hidden: ['3.cfg'] });
		expect(front(curated)).toEqual(['3.seed', '3.steps']);
		expect(curated.appMode?.outputs).toEqual(['9']);
		const r = convertToApi(workflow, objectInfo2026);
		if (!r.ok) throw new Error(r.error);
		r.prompt['3'].inputs.steps = 31;
		const exported = exportUiWorkflow(workflow, r.prompt, objectInfo2026);
		expect(exported.extra).toEqual(workflow.extra);
		expect(exported.nodes.find((n) => n.id === 3)?.widgets_values).toEqual([156680208700286, true, 31, 8, 'euler', 'normal', 1]);
	});

	it('is absent when the workflow has no linearData', () => {
		const workflow = appModeFile();
		workflow.extra = { linearMode: true };
		expect(formOf(workflow, objectInfo2026).appMode).toBeUndefined();
	});
});
