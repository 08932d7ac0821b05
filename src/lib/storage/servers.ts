// ComfyUI servers the app knows: LAN servers reached directly and relay servers reached through the Worker.
import { db, newId } from './db';
import { guard } from './errors';
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

export function deleteServer(id: string): Promise<void> {
	return guard('delete the server', async () => (await db()).delete('servers', id));
}
