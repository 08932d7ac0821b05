// Workflows kept on the device: the imported source, the user's curation and the last values of the form.
import { db, newId } from './db';
import { guard } from './errors';
import type { WorkflowRecord } from './types';

/** What a caller supplies to store a workflow; id and timestamps are filled in when missing. */
export type WorkflowDraft = Omit<WorkflowRecord, 'id' | 'createdAt' | 'updatedAt'> &
	Partial<Pick<WorkflowRecord, 'id' | 'createdAt'>>;

/** Newest first (by last change). */
export function listWorkflows(): Promise<WorkflowRecord[]> {
	return guard('list workflows', async () => {
		const all = await (await db()).getAllFromIndex('workflows', 'updatedAt');
		return all.reverse();
	});
}

export function getWorkflow(id: string): Promise<WorkflowRecord | undefined> {
	return guard('read the workflow', async () => (await db()).get('workflows', id));
}

export function saveWorkflow(draft: WorkflowDraft): Promise<WorkflowRecord> {
	return guard('save the workflow', async () => {
		const now = Date.now();
		const record: WorkflowRecord = { ...draft, id: draft.id ?? newId(), createdAt: draft.createdAt ?? now, updatedAt: now };
		await (await db()).put('workflows', record);
		return record;
	});
}

/** Changes some fields of a stored workflow in one transaction; undefined when it no longer exists. */
export function updateWorkflow(
	id: string,
	patch: Partial<Omit<WorkflowRecord, 'id' | 'createdAt' | 'updatedAt'>>
): Promise<WorkflowRecord | undefined> {
	return guard('update the workflow', async () => {
		const tx = (await db()).transaction('workflows', 'readwrite');
		const current = await tx.store.get(id);
		if (!current) {
			await tx.done;
			return undefined;
		}
		const next: WorkflowRecord = { ...current, ...patch, id, createdAt: current.createdAt, updatedAt: Date.now() };
		await tx.store.put(next);
		await tx.done;
		return next;
	});
}

export const UNTITLED = 'Untitled workflow';

/** A blank name would make the workflow impossible to find in the Library, so it becomes "Untitled workflow". */
export function renameWorkflow(id: string, name: string): Promise<WorkflowRecord | undefined> {
	return updateWorkflow(id, { name: name.trim() || UNTITLED });
}

/** A workflow's results stay in History after it is deleted: they carry their own prompt and parameters. */
export function deleteWorkflow(id: string): Promise<void> {
	return guard('delete the workflow', async () => (await db()).delete('workflows', id));
}

export function duplicateWorkflow(id: string, name?: string): Promise<WorkflowRecord | undefined> {
	return guard('duplicate the workflow', async () => {
		const source = await (await db()).get('workflows', id);
		if (!source) return undefined;
		const { id: _id, createdAt: _created, updatedAt: _updated, ...rest } = source;
		return saveWorkflow({ ...structuredClone(rest), thumbnail: source.thumbnail, name: name ?? `${source.name} (copy)` });
	});
}
