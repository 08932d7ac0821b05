import { describe, expect, it } from 'vitest';
import { IDBFactory } from 'fake-indexeddb';
import {
	closeDb,
	deleteServer,
	exportAll,
	getServer,
	importAll,
	isPool,
	listServers,
	parseBackup,
	poolDraftProblem,
	poolMembers,
	poolRecordOf,
	poolShortfall,
	poolsWithout,
	saveServer,
	serverRoutes,
	withPaused,
	type PoolRecord,
	type ServerRecord
} from '$lib/storage';
import { useFreshDatabase } from './setup';

useFreshDatabase();

const lan = (id: string, name = id): ServerRecord => ({ id, kind: 'lan', name, baseUrl: `http://${id}.local:8188`, createdAt: 1 });
const pool = (id: string, members: string[], paused: string[] = []): PoolRecord => ({ id, kind: 'pool', name: id, baseUrl: '', createdAt: 2, pool: { members, paused } });

describe('pool rules', () => {
	const servers = [lan('a', 'Desk'), lan('b', 'Attic'), lan('c'), pool('p', ['a', 'b'])];

	it('accepts two or more existing servers with a name', () => {
		expect(poolDraftProblem({ name: 'Rigs', members: ['a', 'b'] }, servers)).toBeNull();
		expect(poolDraftProblem({ name: 'Rigs', members: ['a', 'b', 'c'] }, servers)).toBeNull();
	});

	it('says what is wrong: no name, too few (duplicates count once), gone, a pool, itself', () => {
		expect(poolDraftProblem({ name: '  ', members: ['a', 'b'] }, servers)).toBe('Give the pool a name.');
		expect(poolDraftProblem({ name: 'R', members: ['a'] }, servers)).toBe('A pool needs at least 2 servers: pick 1 more.');
		expect(poolDraftProblem({ name: 'R', members: ['a', 'a'] }, servers)).toBe('A pool needs at least 2 servers: pick 1 more.');
		expect(poolDraftProblem({ name: 'R', members: ['a', 'zz'] }, servers)).toMatch(/no longer exists/);
		expect(poolDraftProblem({ name: 'R', members: ['a', 'p'] }, servers)).toBe('"p" is a pool: a pool holds servers, not other pools.');
		expect(poolDraftProblem({ id: 'p', name: 'R', members: ['a', 'p'] }, servers)).toBe('A pool cannot hold itself.');
	});

	it('stores members once, trims the name and keeps only paused ids that are members', () => {
		const record = poolRecordOf({ name: ' Rigs ', members: ['a', 'b', 'a'], paused: ['b', 'c'] });
		expect(record).toMatchObject({ kind: 'pool', name: 'Rigs', baseUrl: '', pool: { members: ['a', 'b'], paused: ['b'] } });
		// Editing keeps the id, creation time and the paused list unless told otherwise.
		expect(poolRecordOf({ name: 'X', members: ['a', 'b'] }, pool('p', ['a', 'b'], ['a']))).toMatchObject({ id: 'p', createdAt: 2, pool: { paused: ['a'] } });
	});

	it('resolves members in order, skipping gone ones, and says when fewer than two are left', () => {
		expect(poolMembers(pool('p', ['b', 'zz', 'a']), servers).map((s) => s.name)).toEqual(['Attic', 'Desk']);
		expect(poolShortfall(pool('p', ['a', 'b']), servers)).toBeNull();
		expect(poolShortfall(pool('p', ['a', 'zz']), servers)).toBe(
			'The pool "p" has only one server left (Desk). Add another server to it in Settings → Pools, or delete the pool.'
		);
		expect(poolShortfall(pool('p', []), servers)).toMatch(/has no server left/);
	});

	it('takes a removed server out of the pools that held it, or puts its replacement in', () => {
		const all = [...servers, pool('q', ['a', 'c'], ['a']), pool('r', ['b', 'c'])];
		expect(poolsWithout(all, 'a').map((p) => [p.id, p.pool])).toEqual([
			['p', { members: ['b'], paused: [] }],
			['q', { members: ['c'], paused: [] }]
		]);
		// 'a' merged into 'c' (its other way in): q holds c once, and the pause follows.
		expect(poolsWithout(all, 'a', 'c').find((p) => p.id === 'q')!.pool).toEqual({ members: ['c'], paused: ['c'] });
	});

	it('pauses and resumes members only', () => {
		const p = pool('p', ['a', 'b']);
		expect(withPaused(p, 'a', true).pool.paused).toEqual(['a']);
		expect(withPaused(withPaused(p, 'a', true), 'a', false).pool.paused).toEqual([]);
		expect(withPaused(p, 'zz', true).pool.paused).toEqual([]);
	});

	it('a pool has no way in of its own', () => {
		expect(serverRoutes(pool('p', ['a', 'b']))).toEqual([]);
		expect(isPool(pool('p', ['a', 'b']))).toBe(true);
		expect(isPool(lan('a'))).toBe(false);
	});
});

describe('pools in the servers store', () => {
	it('deleting a member takes it out of the pool in the same step; the pool stays and says it is short', async () => {
		await saveServer(lan('a'));
		await saveServer(lan('b'));
		await saveServer(lan('c'));
		await saveServer(pool('p', ['a', 'b'], ['b']));
		await saveServer(pool('q', ['b', 'c']));
		await deleteServer('b');
		expect((await getServer('p'))!.pool).toEqual({ members: ['a'], paused: [] });
		expect((await getServer('q'))!.pool).toEqual({ members: ['c'], paused: [] });
		const stored = await listServers();
		expect(poolShortfall((await getServer('p')) as PoolRecord, stored)).toMatch(/only one server left/);
	});

	it('round-trips through a backup, and refuses a pool row without its members', async () => {
		await saveServer(lan('a'));
		await saveServer(lan('b'));
		await saveServer(pool('p', ['a', 'b'], ['a']));
		const file = await exportAll();
		await closeDb();
		globalThis.indexedDB = new IDBFactory();
		expect(await importAll(file)).toMatchObject({ ok: true, counts: { servers: 3 } });
		expect(await getServer('p')).toEqual(pool('p', ['a', 'b'], ['a']));
		const broken = JSON.stringify({ format: 'comfy-pocket-backup', version: 1, servers: [{ id: 'p', kind: 'pool', name: 'x', baseUrl: '', createdAt: 1 }] });
		expect(parseBackup(broken)).toEqual({ ok: false, error: 'The backup\'s "servers" section has a pool without its list of servers.' });
	});
});
