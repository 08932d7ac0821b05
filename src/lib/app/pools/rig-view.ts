// What Settings shows for each rig of a pool (pure): its name, its state in words, its GPU and whether it is paused.
// The live state comes from the active pool's transport; a pool that is not active shows only what is stored.
import { poolMembers, type PoolRecord, type ServerRecord } from '$lib/storage';

/** The part of a rig's live state that Settings shows (pools/rig-state.ts holds the whole of it). */
export interface RigLive {
	id: string;
	status: 'connecting' | 'live' | 'busy' | 'down';
	/** Jobs on the rig, the running one included. */
	queue: number;
	gpu: string | null;
}

export interface RigRow {
	id: string;
	name: string;
	/** For the dot and tests: live, busy, down, or unknown while the pool is not the active server. */
	state: RigLive['status'] | 'unknown';
	words: string;
	gpu: string | null;
	paused: boolean;
}

/** `live` null: the pool is not active; undefined: it is, but this rig could not be connected (see Servers). */
export function rigWords(live: Pick<RigLive, 'status' | 'queue'> | null | undefined, paused: boolean): string {
	let state: string;
	if (live === null) state = 'not connected (use the pool to see its rigs)';
	else if (live === undefined) state = 'left out: its connection could not be set up (see Servers)';
	else state = live.status === 'busy' ? `busy with ${live.queue} queued` : live.status;
	return paused ? `paused · ${state}` : state;
}

/** One row per stored member, in the pool's order; `rigs` is null when the pool is not the active server. */
export function poolRows(pool: PoolRecord, servers: readonly ServerRecord[], rigs: readonly RigLive[] | null): RigRow[] {
	return poolMembers(pool, servers).map((server) => {
		const live = rigs === null ? null : rigs.find((r) => r.id === server.id);
		const paused = pool.pool.paused.includes(server.id);
		return { id: server.id, name: server.name, state: live?.status ?? 'unknown', words: rigWords(live, paused), gpu: live?.gpu ?? null, paused };
	});
}

/** The pill's count: rigs that answer (busy ones included) out of all. */
export function liveCount(rigs: readonly Pick<RigLive, 'status'>[]): { live: number; total: number } {
	return { live: rigs.filter((r) => r.status === 'live' || r.status === 'busy').length, total: rigs.length };
}

/** What a pool does not do yet, said where it matters (Settings → Pools, Now running). */
export const POOL_SHARED_NOTE =
	'With a pool active, this list does not show the runs of other devices on its rigs yet, and Done alerts come only while the app is open (no Web Push). Pick one of its servers in Settings for those.';
