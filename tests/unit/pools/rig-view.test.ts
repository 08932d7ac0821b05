import { describe, expect, it } from 'vitest';
import { liveCount, poolRows, rigWords } from '$lib/app/pools/rig-view';
import type { PoolRecord, ServerRecord } from '$lib/storage';

const lan = (id: string, name: string): ServerRecord => ({ id, kind: 'lan', name, baseUrl: `http://${id}:8188`, createdAt: 1 });
const servers = [lan('a', 'Desk'), lan('b', 'Attic')];
const pool: PoolRecord = { id: 'p', kind: 'pool', name: 'Rigs', baseUrl: '', createdAt: 2, pool: { members: ['a', 'b', 'gone'], paused: ['b'] } };

describe('rigs in Settings', () => {
	it('says each state in words, with the queue of a busy rig and the pause', () => {
		expect(rigWords({ status: 'live', queue: 0 }, false)).toBe('live');
		expect(rigWords({ status: 'busy', queue: 3 }, false)).toBe('busy with 3 queued');
		expect(rigWords({ status: 'down', queue: 0 }, true)).toBe('paused · down');
		expect(rigWords({ status: 'connecting', queue: 0 }, false)).toBe('connecting');
		expect(rigWords(null, false)).toBe('not connected (use the pool to see its rigs)');
	});

	it('lists the stored members in order with their live state and GPU, skipping gone ones', () => {
		const rows = poolRows(pool, servers, [{ id: 'b', status: 'busy', queue: 2, gpu: 'RTX 4090' }]);
		expect(rows).toEqual([
			// Active pool, but this rig's transport could not be made: said so.
			{ id: 'a', name: 'Desk', state: 'unknown', words: 'left out: its connection could not be set up (see Servers)', gpu: null, paused: false },
			{ id: 'b', name: 'Attic', state: 'busy', words: 'paused · busy with 2 queued', gpu: 'RTX 4090', paused: true }
		]);
	});

	it('a pool that is not active shows its stored rigs without a live state', () => {
		expect(poolRows(pool, servers, null).map((r) => r.words)).toEqual(['not connected (use the pool to see its rigs)', 'paused · not connected (use the pool to see its rigs)']);
	});

	it('counts busy rigs as live for the pill', () => {
		expect(liveCount([{ status: 'live' }, { status: 'busy' }, { status: 'down' }, { status: 'connecting' }])).toEqual({ live: 2, total: 4 });
	});
});
