import { describe, expect, it } from 'vitest';
import {
	deleteWorkflow,
	duplicateWorkflow,
	getWorkflow,
	listWorkflows,
	renameWorkflow,
	saveWorkflow,
	updateWorkflow
} from '$lib/storage';
import { pngBlob, useFreshDatabase } from './setup';

useFreshDatabase();

const prompt = { '3': { class_type: 'KSampler', inputs: { seed: 1 } } };

describe('workflow storage', () => {
	it('saves a workflow with a new id and timestamps, and reads it back intact', async () => {
		const saved = await saveWorkflow({ name: 'Portrait', source: { prompt, fileName: 'portrait.json' } });
		expect(saved.id).toMatch(/^[0-9a-f-]{36}$/);
		expect(saved.createdAt).toBe(saved.updatedAt);
		expect(await getWorkflow(saved.id)).toEqual(saved);
	});

	it('lists workflows with the most recently changed first', async () => {
		const a = await saveWorkflow({ name: 'A', source: {} });
		await new Promise((r) => setTimeout(r, 5));
		await saveWorkflow({ name: 'B', source: {} });
		await new Promise((r) => setTimeout(r, 5));
		await updateWorkflow(a.id, { lastValues: { seed: 4 } });
		expect((await listWorkflows()).map((w) => w.name)).toEqual(['A', 'B']);
	});

	it('renames a workflow and keeps a blank name from hiding it', async () => {
		const w = await saveWorkflow({ name: 'Old', source: {} });
		expect((await renameWorkflow(w.id, '  New  '))?.name).toBe('New');
		expect((await renameWorkflow(w.id, '   '))?.name).toBe('Untitled workflow');
	});

	it('updates only the given fields and reports a workflow that no longer exists', async () => {
		const w = await saveWorkflow({ name: 'W', source: { prompt }, curation: { hidden: [] } });
		const next = await updateWorkflow(w.id, { lastValues: { seed: 9 } });
		expect(next).toMatchObject({ name: 'W', curation: { hidden: [] }, lastValues: { seed: 9 }, createdAt: w.createdAt });
		expect(await updateWorkflow('missing', { name: 'x' })).toBeUndefined();
	});

	it('duplicates a workflow as an independent copy with its thumbnail', async () => {
		const w = await saveWorkflow({ name: 'Base', source: { prompt }, thumbnail: pngBlob() });
		const copy = await duplicateWorkflow(w.id);
		expect(copy?.name).toBe('Base (copy)');
		expect(copy?.id).not.toBe(w.id);
		expect(copy?.thumbnail).toBeInstanceOf(Blob);
		await updateWorkflow(copy!.id, { source: { prompt: {} } });
		expect((await getWorkflow(w.id))?.source.prompt).toEqual(prompt);
		expect(await duplicateWorkflow('missing')).toBeUndefined();
	});

	it('deletes a workflow', async () => {
		const w = await saveWorkflow({ name: 'Gone', source: {} });
		await deleteWorkflow(w.id);
		expect(await getWorkflow(w.id)).toBeUndefined();
		expect(await listWorkflows()).toEqual([]);
	});
});
