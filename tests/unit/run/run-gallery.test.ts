import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { resolveObjectURL } from 'node:buffer';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RunGallery } from '../../../src/lib/app/run/gallery.svelte';
import { addResult, closeDb, listResults, saveWorkflow, type ResultRecord } from '../../../src/lib/storage';

beforeEach(() => {
	globalThis.indexedDB = new IDBFactory();
});
afterEach(async () => {
	await closeDb();
});

const png = (n: number) => new Blob([new Uint8Array([0x89, 0x50, 0x4e, 0x47, n])], { type: 'image/png' });

async function seed(): Promise<{ workflowId: string; results: ResultRecord[] }> {
	const workflow = await saveWorkflow({ name: 'W', source: { prompt: {} } });
	const results: ResultRecord[] = [];
	for (let i = 0; i < 2; i++) {
		results.push(
			await addResult({
				workflowId: workflow.id,
				promptId: `p${i}`,
				serverId: 's',
				createdAt: 1000 + i,
				params: { values: { '3.seed': i }, prompt: {} },
				files: [{ kind: 'image', mime: 'image/png', blob: png(i), thumb: png(10 + i), filename: `${i}.png`, nodeId: '9' }]
			})
		);
	}
	return { workflowId: workflow.id, results };
}

describe('RunGallery', () => {
	it('lists a workflow’s results newest first and adds a new one once', async () => {
		const { workflowId, results } = await seed();
		const sut = new RunGallery(workflowId);
		await sut.load();
		expect(sut.results.map((r) => r.promptId)).toEqual(['p1', 'p0']);
		sut.add(results[0]);
		sut.add({ ...results[0], id: 'other', workflowId: 'someone-else' });
		expect(sut.results).toHaveLength(2);
	});

	it('makes one object URL per blob and revokes them when a result is deleted or the gallery closes', async () => {
		const { workflowId } = await seed();
		const sut = new RunGallery(workflowId);
		await sut.load();
		const [newest, oldest] = sut.results;
		const thumb = sut.thumbUrl(newest.files[0]);
		expect(sut.thumbUrl(newest.files[0])).toBe(thumb);
		const full = sut.url(oldest.files[0].blob);
		expect(resolveObjectURL(thumb)).toBeDefined();

		await sut.remove(newest.id);
		expect(resolveObjectURL(thumb)).toBeUndefined();
		expect((await listResults({ workflowId })).map((r) => r.id)).toEqual([oldest.id]);

		sut.dispose();
		expect(resolveObjectURL(full)).toBeUndefined();
	});
});
