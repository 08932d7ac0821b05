// Export of V3 nodes: widgets_values written positionally as the frontend lays them out (combo, its option's
// sub-inputs, then the rest), also after the run chose another option, and round trips of the 2026 corpus.
import { describe, expect, it } from 'vitest';
import { convertToApi } from '../../../src/lib/workflow/convert';
import { buildForm } from '../../../src/lib/workflow/form';
import { applyForm } from '../../../src/lib/workflow/apply';
import { exportUiWorkflow } from '../../../src/lib/workflow/export';
import type { ApiPrompt } from '../../../src/lib/comfy/types';
import type { UiWorkflow } from '../../../src/lib/workflow/types';
import { modernNames, modernWorkflow, objectInfo2026 } from './modern';

/** LoadImage → ResizeImageMaskNode → SaveImage, saved as the 1.4x frontend saves it (dotted widget inputs listed). */
function resizeWorkflow(): UiWorkflow {
	const w = (name: string, type: string, link: number | null = null) => ({ name, localized_name: name, type, widget: { name }, link });
	return {
		version: 0.4,
		nodes: [
			{ id: 1, type: 'LoadImage', inputs: [], outputs: [{ name: 'IMAGE', type: 'IMAGE', links: [1] }], widgets_values: ['example.png', 'image'] },
			{
				id: 2,
				type: 'ResizeImageMaskNode',
				inputs: [
					{ name: 'input', type: 'IMAGE,MASK', link: 1 },
					w('resize_type', 'COMFY_DYNAMICCOMBO_V3'),
					w('resize_type.width', 'INT'),
					w('resize_type.height', 'INT'),
					w('resize_type.crop', 'COMBO'),
					w('scale_method', 'COMBO')
				],
				outputs: [{ name: 'IMAGE', type: 'IMAGE', links: [2] }],
				widgets_values: ['scale dimensions', 512, 512, 'center', 'area']
			},
			{ id: 3, type: 'SaveImage', inputs: [{ name: 'images', type: 'IMAGE', link: 2 }], widgets_values: ['v3'] }
		],
		links: [
			[1, 1, 0, 2, 0, 'IMAGE'],
			[2, 2, 0, 3, 0, 'IMAGE']
		]
	};
}

function converted(workflow: UiWorkflow): ApiPrompt {
	const r = convertToApi(workflow, objectInfo2026);
	if (!r.ok) throw new Error(r.error);
	return r.prompt;
}

describe('exportUiWorkflow with V3 dynamic combos', () => {
	it('writes a changed sub-input in place when the option stays', () => {
		const workflow = resizeWorkflow();
		const prompt = converted(workflow);
		const m = buildForm(prompt, objectInfo2026, { workflow });
		const ran = applyForm(prompt, m, { '2.resize_type.height@scale dimensions': 300 }).prompt;
		const out = exportUiWorkflow(workflow, ran, objectInfo2026);
		expect(out.nodes[1].widgets_values).toEqual(['scale dimensions', 512, 300, 'center', 'area']);
		expect(converted(out)).toEqual(ran);
	});

	it('lays the values out for the option the run chose: combo, its sub-inputs, then the rest', () => {
		const workflow = resizeWorkflow();
		const prompt = converted(workflow);
		const m = buildForm(prompt, objectInfo2026, { workflow });
		const ran = applyForm(prompt, m, { '2.resize_type': 'scale by multiplier', '2.resize_type.multiplier@scale by multiplier': 1.5, '2.scale_method': 'lanczos' }).prompt;
		const out = exportUiWorkflow(workflow, ran, objectInfo2026);
		expect(out.nodes[1].widgets_values).toEqual(['scale by multiplier', 1.5, 'lanczos']);
		expect(out.nodes[1].inputs?.map((i) => i.name)).toEqual(['input', 'resize_type', 'resize_type.multiplier', 'scale_method']);
		expect(converted(out)).toEqual(ran);
		// The saved workflow itself is untouched.
		expect(workflow.nodes[1].widgets_values).toEqual(['scale dimensions', 512, 512, 'center', 'area']);
	});

	it.each(modernNames)('round-trips %s: converting the exported workflow gives the prompt that ran', (name) => {
		const workflow = modernWorkflow(name);
		const r = convertToApi(workflow, objectInfo2026);
		if (!r.ok) return;
		const m = buildForm(r.prompt, objectInfo2026, { workflow });
		// Every dynamic combo switched to its last option, with the sub-fields' defaults.
		const values: Record<string, unknown> = {};
		for (const f of m.fields) if (f.dynamic && f.options && f.options.length > 1) values[f.id] = f.options[f.options.length - 1];
		const ran = applyForm(r.prompt, m, values).prompt;
		const again = convertToApi(exportUiWorkflow(workflow, ran, objectInfo2026), objectInfo2026);
		expect(again.ok && again.prompt).toEqual(ran);
	});
});
