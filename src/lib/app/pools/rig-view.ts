// What Settings shows for each rig of a pool (no state of its own): its name, its state in words of the active
// language, its GPU and whether it is paused.
// The live state comes from the active pool's transport; a pool that is not active shows only what is stored.
import { m } from '$lib/i18n';
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
	const state =
		live === null
			? m.rig_not_connected()
			: live === undefined
				? m.rig_left_out()
				: live.status === 'busy'
					? m.rig_busy({ count: live.queue })
					: live.status === 'live'
						? m.rig_live()
						: live.status === 'connecting'
							? m.rig_connecting()
							: m.rig_down();
	return paused ? m.rig_paused({ state }) : state;
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
export const poolSharedNote = (): string => m.pool_shared_note();
