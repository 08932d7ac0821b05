// ComfyUI servers the app knows: LAN servers reached directly and relay servers reached through the Worker.
import { db, newId } from './db';
import { guard } from './errors';
import { poolsWithout } from './pools';
import type { ServerRecord } from './types';

export type ServerDraft = Omit<ServerRecord, 'id' | 'createdAt'> & Partial<Pick<ServerRecord, 'id' | 'createdAt'>>;

/** Oldest first: the order the user added them. */
export function listServers(): Promise<ServerRecord[]> {
	return guard('list servers', async () => {
		const all = await (await db()).getAll('servers');
		return all.sort((a, b) => a.createdAt - b.createdAt);
	});
}

export function getServer(id: string): Promise<ServerRecord | undefined> {
	return guard('read the server', async () => (await db()).get('servers', id));
}

export function saveServer(draft: ServerDraft): Promise<ServerRecord> {
	return guard('save the server', async () => {
		const record: ServerRecord = { ...draft, id: draft.id ?? newId(), createdAt: draft.createdAt ?? Date.now() };
		await (await db()).put('servers', record);
		return record;
	});
}

/**
 * Deletes a server and takes it out of every pool that held it, in one transaction (a pool left with fewer than two
 * rigs stays and says so: storage/pools.ts poolShortfall). `replacedBy`: the server that now stands for it in pools
 * (it was attached to that one as another way in).
 */
export function deleteServer(id: string, replacedBy?: string): Promise<void> {
	return guard('delete the server', async () => {
		const tx = (await db()).transaction('servers', 'readwrite');
		const store = tx.objectStore('servers');
		const changed = poolsWithout(await store.getAll(), id, replacedBy);
		await Promise.all([store.delete(id), ...changed.map((pool) => store.put(pool)), tx.done]);
	});
}
