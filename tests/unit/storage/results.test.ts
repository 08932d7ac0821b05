import { describe, expect, it } from 'vitest';
import {
	addResult,
	countResults,
	deleteOldestResults,
	deleteResult,
	findResultByPrompt,
	getResult,
	getWorkflow,
	listResults,
	saveWorkflow,
	type ResultDraft
} from '$lib/storage';
import { pngBlob, useFreshDatabase } from './setup';

useFreshDatabase();

function draft(workflowId: string, promptId: string, createdAt: number): ResultDraft {
	return {
		workflowId,
		promptId,
		createdAt,
		serverId: 's1',
		params: { values: { seed: createdAt }, prompt: {} },
		files: [{ kind: 'image', mime: 'image/png', blob: pngBlob([1, 2, 3]), thumb: pngBlob([9]), filename: 'a.png', nodeId: '9', width: 64, height: 64 }]
	};
}

describe('result storage', () => {
	it('stores a result with its files and finds it by id and by prompt id', async () => {
		const saved = await addResult(draft('w1', 'p1', 1000));
		const back = await getResult(saved.id);
		expect(back?.files[0].blob).toBeInstanceOf(Blob);
		expect(new Uint8Array(await back!.files[0].blob.arrayBuffer())).toEqual(new Uint8Array([1, 2, 3]));
		expect((await findResultByPrompt('p1'))?.id).toBe(saved.id);
	});

	it("makes the newest result's thumbnail the workflow's Library picture", async () => {
		const w = await saveWorkflow({ name: 'W', source: {} });
		await addResult(draft(w.id, 'p1', 1000));
		const thumb = (await getWorkflow(w.id))?.thumbnail;
		expect(thumb).toBeInstanceOf(Blob);
		expect(new Uint8Array(await thumb!.arrayBuffer())).toEqual(new Uint8Array([9]));
	});

	it('lists results newest first, for one workflow or all, with a limit', async () => {
		await addResult(draft('w1', 'p1', 1000));
		await addResult(draft('w2', 'p2', 3000));
		await addResult(draft('w1', 'p3', 2000));
		expect((await listResults()).map((r) => r.promptId)).toEqual(['p2', 'p3', 'p1']);
		expect((await listResults({ workflowId: 'w1' })).map((r) => r.promptId)).toEqual(['p3', 'p1']);
		expect((await listResults({ limit: 1 })).map((r) => r.promptId)).toEqual(['p2']);
		expect((await listResults({ limit: 2 })).map((r) => r.promptId)).toEqual(['p2', 'p3']);
		expect((await listResults({ workflowId: 'w1', limit: 1 })).map((r) => r.promptId)).toEqual(['p3']);
	});

	it('deletes one result, and frees space by deleting the oldest ones', async () => {
		const first = await addResult(draft('w', 'p1', 1000));
		await addResult(draft('w', 'p2', 2000));
		await addResult(draft('w', 'p3', 3000));
		await addResult(draft('w', 'p4', 4000));
		await deleteResult(first.id);
		expect(await countResults()).toBe(3);
		expect(await deleteOldestResults(1)).toBe(2);
		expect((await listResults()).map((r) => r.promptId)).toEqual(['p4']);
		expect(await deleteOldestResults(5)).toBe(0);
	});
});
