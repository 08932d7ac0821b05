import { describe, expect, it } from 'vitest';
import { applyCuration } from '../../../src/lib/workflow';
import { addGroup, curationRows, formSections, moveField, setGroup, setHidden, setLabel, setPromoted } from '../../../src/lib/app/run/curation';
import type { Field, FormModel } from '../../../src/lib/workflow/types';

function field(id: string, advanced: boolean, group = 'node:3'): Field {
	return { id, nodeId: id.split('.')[0], input: id.split('.')[1], kind: 'int', label: id.split('.')[1], nodeTitle: 'KSampler', group, default: 1, advanced };
}

const base: FormModel = {
	fields: [field('6.text', false, 'node:6'), field('3.seed', false), field('3.steps', true), field('3.cfg', true)],
	groups: [{ id: 'node:6', title: 'Prompt' }, { id: 'node:3', title: 'KSampler' }]
};

describe('curation edits', () => {
	it('hide, promote, rename and reorder are what the engine then shows', () => {
		let c = setHidden({}, '3.seed', true);
		c = setPromoted(c, '3.cfg', true);
		c = setLabel(c, base.fields[3], 'Guidance');
		c = moveField(base, c, '3.cfg', -1);
		const shown = applyCuration(base, c);
		expect(shown.fields.map((f) => [f.id, f.label, f.advanced])).toEqual([
			['6.text', 'text', false],
			['3.cfg', 'Guidance', false],
			['3.steps', 'steps', true]
		]);
	});

	it('lists hidden fields in the editor so they can be shown again', () => {
		const rows = curationRows(base, setHidden({}, '3.seed', true));
		expect(rows.find((r) => r.field.id === '3.seed')).toMatchObject({ hidden: true });
		const back = setHidden(setHidden({}, '3.seed', true), '3.seed', false);
		expect(applyCuration(base, back).fields).toHaveLength(4);
	});

	it('does not move past either end', () => {
		expect(moveField(base, {}, '6.text', -1)).toEqual({});
		expect(moveField(base, {}, '3.cfg', 1)).toEqual({});
	});

	it('an empty label or the original one removes the rename', () => {
		const renamed = setLabel({}, base.fields[1], 'My seed');
		expect(setLabel(renamed, base.fields[1], '  ').labels).toEqual({});
		expect(setLabel(renamed, base.fields[1], 'seed').labels).toEqual({});
	});

	it('moves a field into a new user group that the form then shows under its title', () => {
		const added = addGroup({}, 'Sampling');
		const c = setGroup(added.curation, base.fields[2], added.groupId);
		const sections = formSections(applyCuration(base, c), c.groupTitles);
		expect(sections.advanced.map((g) => [g.title, g.fields.map((f) => f.id)])).toEqual([
			['Sampling', ['3.steps']],
			['KSampler', ['3.cfg']]
		]);
	});
});

describe('formSections', () => {
	it('puts non-advanced fields up front and groups the rest in first-use order', () => {
		const sut = formSections(base);
		expect(sut.front.map((f) => f.id)).toEqual(['6.text', '3.seed']);
		expect(sut.advanced).toEqual([{ id: 'node:3', title: 'KSampler', fields: [base.fields[2], base.fields[3]] }]);
	});
});
