// Pool actions for Settings (issue 11): create a pool from two or more servers, rename it, change its rigs, delete
// it, pause and resume a rig. A pool is a server record of kind 'pool' (storage/pools.ts); the session connects
// to it like to any server (app/server-transport.ts builds its PoolTransport). Invalid input throws an Error whose
// message is the sentence to show.
import { deleteServer, deleteSetting, getServer, isPool, poolDraftProblem, poolRecordOf, saveServer, withPaused, type PoolDraft, type PoolRecord } from '$lib/storage';
import { OBJECT_INFO_CACHE_PREFIX, session } from '../session.svelte';

async function storedPool(id: string): Promise<PoolRecord> {
	const record = await getServer(id);
	if (!isPool(record)) throw new Error('This pool no longer exists.');
	return record;
}

async function savePoolDraft(draft: PoolDraft, existing?: PoolRecord): Promise<PoolRecord> {
	const problem = poolDraftProblem(draft, session.servers);
	if (problem) throw new Error(problem);
	return (await saveServer(poolRecordOf(draft, existing))) as PoolRecord;
}

/** Makes a pool of the chosen servers. It is not made active: the user picks it like a server. */
export async function createPool(name: string, members: readonly string[]): Promise<PoolRecord> {
	const pool = await savePoolDraft({ name, members });
	await session.reloadServers();
	return pool;
}

export async function renamePool(id: string, name: string): Promise<PoolRecord> {
	const pool = await storedPool(id);
	const saved = await savePoolDraft({ id, name, members: pool.pool.members }, pool);
	await session.reloadServers();
	return saved;
}

/** Changes which servers the pool holds; the active pool reconnects with its new rigs (session.reloadServers). */
export async function setPoolMembers(id: string, members: readonly string[]): Promise<PoolRecord> {
	const pool = await storedPool(id);
	const saved = await savePoolDraft({ id, name: pool.name, members }, pool);
	await session.reloadServers();
	return saved;
}

export async function deletePool(id: string): Promise<void> {
	await storedPool(id);
	await deleteServer(id);
	await deleteSetting(OBJECT_INFO_CACHE_PREFIX + id).catch(() => undefined);
	await session.reloadServers();
}

/** A paused rig gets no new runs (its running and queued ones finish there). Stored, and applied at once when active. */
export async function setRigPaused(poolId: string, rigId: string, paused: boolean): Promise<void> {
	const pool = await storedPool(poolId);
	if (!pool.pool.members.includes(rigId)) throw new Error('This server is not in the pool any more.');
	await saveServer(withPaused(pool, rigId, paused));
	session.setRigPaused(poolId, rigId, paused);
	await session.reloadServers();
}
