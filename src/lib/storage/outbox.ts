// Runs waiting for their server (the outbox). Every change is one read-modify-write transaction, so a Cancel in
// one tab and the sender in another never overwrite each other's step.
import { db } from './db';
import { guard } from './errors';
import type { OutboxRecord } from './types';

/** Oldest first: the order they were made in, which is the order they are sent in. */
export function listOutbox(serverId?: string): Promise<OutboxRecord[]> {
	return guard('read the outbox', async () => {
		const database = await db();
		const all = serverId ? await database.getAllFromIndex('outbox', 'serverId', serverId) : await database.getAll('outbox');
		return all.sort((a, b) => a.createdAt - b.createdAt || a.promptId.localeCompare(b.promptId));
	});
}

export function getOutboxEntry(promptId: string): Promise<OutboxRecord | undefined> {
	return guard('read the outbox', async () => (await db()).get('outbox', promptId));
}

export function addOutboxEntries(entries: OutboxRecord[]): Promise<void> {
	return guard('put the run in the outbox', async () => {
		const tx = (await db()).transaction('outbox', 'readwrite');
		await Promise.all([...entries.map((entry) => tx.store.put(entry)), tx.done]);
	});
}

/**
 * Applies `change` to the stored entry atomically (returning undefined from `change` leaves it as it is) and
 * returns the entry as it now stands, or undefined when there is none.
 */
export function updateOutboxEntry(
	promptId: string,
	change: (entry: OutboxRecord) => OutboxRecord | undefined
): Promise<OutboxRecord | undefined> {
	return guard('update the outbox', async () => {
		const tx = (await db()).transaction('outbox', 'readwrite');
		const current = await tx.store.get(promptId);
		const next = current ? change(current) : undefined;
		if (next) await tx.store.put(next);
		await tx.done;
		return next ?? current;
	});
}

export function deleteOutboxEntry(promptId: string): Promise<void> {
	return guard('remove the run from the outbox', async () => (await db()).delete('outbox', promptId));
}
