// Pools (issue 11): several stored servers ("rigs") grouped under one name, stored as a server record of kind
// 'pool' in the `servers` store. The rules for what a pool may hold are pure functions here; saving goes through
// saveServer, and deleting a server takes it out of every pool (servers.ts).
import type { PoolMembers, ServerRecord } from './types';

export type PoolRecord = ServerRecord & { kind: 'pool'; pool: PoolMembers };

export interface PoolDraft {
	/** Set when editing an existing pool. */
	id?: string;
	name: string;
	members: readonly string[];
	paused?: readonly string[];
}

export const MIN_POOL_RIGS = 2;

export function isPool(server: ServerRecord | null | undefined): server is PoolRecord {
	return server?.kind === 'pool' && Array.isArray(server.pool?.members);
}

/** The servers a pool can hold: every stored server that is not itself a pool. */
export function poolCandidates(servers: readonly ServerRecord[]): ServerRecord[] {
	return servers.filter((s) => s.kind !== 'pool');
}

/** Why this pool cannot be saved, in words, or null when it can. Members are checked against the stored servers. */
export function poolDraftProblem(draft: PoolDraft, servers: readonly ServerRecord[]): string | null {
	if (!draft.name.trim()) return 'Give the pool a name.';
	const members = [...new Set(draft.members)];
	if (members.length < MIN_POOL_RIGS) return `A pool needs at least ${MIN_POOL_RIGS} servers: pick ${MIN_POOL_RIGS - members.length} more.`;
	for (const id of members) {
		if (id === draft.id) return 'A pool cannot hold itself.';
		const server = servers.find((s) => s.id === id);
		if (!server) return 'One of the chosen servers no longer exists. Pick the servers again.';
		if (server.kind === 'pool') return `"${server.name}" is a pool: a pool holds servers, not other pools.`;
	}
	return null;
}

/** The record to store for a valid draft (members without duplicates, paused ones limited to members). */
export function poolRecordOf(draft: PoolDraft, existing?: ServerRecord): Omit<PoolRecord, 'id' | 'createdAt'> & Partial<Pick<ServerRecord, 'id' | 'createdAt'>> {
	const members = [...new Set(draft.members)];
	const paused = [...new Set(draft.paused ?? existing?.pool?.paused ?? [])].filter((id) => members.includes(id));
	return { id: draft.id ?? existing?.id, createdAt: existing?.createdAt, kind: 'pool', name: draft.name.trim(), baseUrl: '', pool: { members, paused } };
}

/** The pool's rigs as stored servers, in the pool's order; members that are gone (or became pools) are skipped. */
export function poolMembers(pool: PoolRecord, servers: readonly ServerRecord[]): ServerRecord[] {
	return pool.pool.members.flatMap((id) => {
		const server = servers.find((s) => s.id === id);
		return server && server.kind !== 'pool' ? [server] : [];
	});
}

/** What is wrong with a stored pool that keeps it from running (too few rigs left), or null. */
export function poolShortfall(pool: PoolRecord, servers: readonly ServerRecord[]): string | null {
	const rigs = poolMembers(pool, servers);
	if (rigs.length >= MIN_POOL_RIGS) return null;
	const left = rigs.length === 0 ? 'no server left' : `only one server left (${rigs[0].name})`;
	return `The pool "${pool.name}" has ${left}. Add another server to it in Settings → Pools, or delete the pool.`;
}

/**
 * The pools that change when server `removedId` goes: without it, or with `replacedBy` in its place (a server
 * merged into another one as its second way in is still the same rig). Pools that did not hold it are not returned.
 */
export function poolsWithout(servers: readonly ServerRecord[], removedId: string, replacedBy?: string): PoolRecord[] {
	return servers.filter(isPool).flatMap((pool) => {
		if (!pool.pool.members.includes(removedId)) return [];
		const swap = (id: string) => (id === removedId ? (replacedBy ?? null) : id);
		const members = [...new Set(pool.pool.members.map(swap).filter((id): id is string => id !== null && id !== pool.id))];
		const paused = [...new Set(pool.pool.paused.map(swap).filter((id): id is string => id !== null && members.includes(id)))];
		return [{ ...pool, pool: { members, paused } }];
	});
}

/** The pool with one rig paused or resumed. */
export function withPaused(pool: PoolRecord, rigId: string, paused: boolean): PoolRecord {
	const rest = pool.pool.paused.filter((id) => id !== rigId);
	return { ...pool, pool: { ...pool.pool, paused: paused && pool.pool.members.includes(rigId) ? [...rest, rigId] : rest } };
}

/** A stored row claiming to be a pool holds its members as lists of ids (a backup's rows are checked with it). */
export function isWellFormedPool(row: Record<string, unknown>): boolean {
	if (row.kind !== 'pool') return true;
	const pool = row.pool as Partial<Record<keyof PoolMembers, unknown>> | undefined;
	const ids = (v: unknown) => Array.isArray(v) && v.every((id) => typeof id === 'string');
	return !!pool && typeof pool === 'object' && ids(pool.members) && ids(pool.paused);
}
