// Generated results: the files themselves (full size and a thumbnail) and the parameters that made them.
import { db, newId } from './db';
import { guard } from './errors';
import type { ResultRecord } from './types';

export type ResultDraft = Omit<ResultRecord, 'id' | 'createdAt'> & Partial<Pick<ResultRecord, 'id' | 'createdAt'>>;

/**
 * Stores a result and makes its first picture the workflow's Library thumbnail, in one transaction, so the
 * thumbnail never points at a result that failed to save.
 */
export function addResult(draft: ResultDraft): Promise<ResultRecord> {
	return guard('save the result', async () => {
		const record: ResultRecord = { ...draft, id: draft.id ?? newId(), createdAt: draft.createdAt ?? Date.now() };
		const tx = (await db()).transaction(['results', 'workflows'], 'readwrite');
		await tx.objectStore('results').put(record);
		const picture = record.files.find((f) => f.kind === 'image' || f.thumb);
		const workflow = await tx.objectStore('workflows').get(record.workflowId);
		if (workflow && picture) {
			await tx.objectStore('workflows').put({ ...workflow, thumbnail: picture.thumb ?? picture.blob });
		}
		await tx.done;
		return record;
	});
}

export interface ResultQuery {
	workflowId?: string;
	limit?: number;
}

/** Newest first. With a limit, only that many records are read (a cursor walking back from the newest). */
export function listResults(query: ResultQuery = {}): Promise<ResultRecord[]> {
	return guard('list results', async () => {
		const database = await db();
		if (query.workflowId) {
			const rows = await database.getAllFromIndex('results', 'workflowId', query.workflowId);
			rows.sort((a, b) => b.createdAt - a.createdAt);
			return query.limit === undefined ? rows : rows.slice(0, query.limit);
		}
		if (query.limit === undefined) return (await database.getAllFromIndex('results', 'createdAt')).reverse();
		const rows: ResultRecord[] = [];
		let cursor = await database.transaction('results').store.index('createdAt').openCursor(null, 'prev');
		while (cursor && rows.length < query.limit) {
			rows.push(cursor.value);
			cursor = await cursor.continue();
		}
		return rows;
	});
}

export function getResult(id: string): Promise<ResultRecord | undefined> {
	return guard('read the result', async () => (await db()).get('results', id));
}

export function findResultByPrompt(promptId: string): Promise<ResultRecord | undefined> {
	return guard('read the result', async () => (await db()).getFromIndex('results', 'promptId', promptId));
}

export function deleteResult(id: string): Promise<void> {
	return guard('delete the result', async () => (await db()).delete('results', id));
}

export function countResults(): Promise<number> {
	return guard('count results', async () => (await db()).count('results'));
}

/** Frees space: deletes the oldest results, keeping the newest `keep`. Returns how many were deleted. */
export function deleteOldestResults(keep: number): Promise<number> {
	return guard('delete old results', async () => {
		const tx = (await db()).transaction('results', 'readwrite');
		const total = await tx.store.count();
		let toDelete = Math.max(0, total - Math.max(0, keep));
		const removed = toDelete;
		let cursor = await tx.store.index('createdAt').openCursor();
		while (cursor && toDelete > 0) {
			await cursor.delete();
			toDelete--;
			cursor = await cursor.continue();
		}
		await tx.done;
		return removed;
	});
}
