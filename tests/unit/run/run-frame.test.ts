import { describe, expect, it } from 'vitest';
import { previewAspect } from '../../../src/lib/app/run/frame';
import type { Field, FormModel } from '../../../src/lib/workflow/types';

function field(nodeId: string, input: string, value: number): Field {
	return { id: `${nodeId}.${input}`, nodeId, input, kind: 'int', label: input, nodeTitle: 'Latent', group: 'g', default: value, advanced: false };
}

describe('previewAspect', () => {
	const model: FormModel = { fields: [field('5', 'width', 512), field('5', 'height', 768)], groups: [] };

	it('takes the aspect ratio from the width and height fields of one node', () => {
		expect(previewAspect(model, {})).toBe('512 / 768');
	});

	it('follows the values the user typed over the defaults', () => {
		expect(previewAspect(model, { '5.width': 1024, '5.height': 576 })).toBe('1024 / 576');
	});

	it('gives null when there are no size fields or a size is not a positive number', () => {
		expect(previewAspect({ fields: [], groups: [] }, {})).toBeNull();
		expect(previewAspect(model, { '5.width': 0 })).toBeNull();
	});

	it('does not pair a width of one node with the height of another', () => {
		const mixed: FormModel = { fields: [field('5', 'width', 512), field('7', 'height', 768)], groups: [] };
		expect(previewAspect(mixed, {})).toBeNull();
	});
});
