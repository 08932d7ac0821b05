// The one IndexedDB database of the app and its schema. Other storage modules get it through `db()`.
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { OutboxRecord, ResultRecord, ServerRecord, SettingRecord, WorkflowRecord } from './types';

export const DB_NAME = 'comfy-pocket';
// 1: workflows, results, servers, settings. 2: + outbox (runs waiting for their server).
export const DB_VERSION = 2;

export interface PocketDB extends DBSchema {
	workflows: { key: string; value: WorkflowRecord; indexes: { updatedAt: number } };
	results: {
		key: string;
		value: ResultRecord;
		indexes: { createdAt: number; workflowId: string; promptId: string };
	};
	servers: { key: string; value: ServerRecord };
	settings: { key: string; value: SettingRecord };
	outbox: { key: string; value: OutboxRecord; indexes: { serverId: string } };
}

/** The stores a backup carries. The outbox is not among them: its runs belong to this device's moment. */
export type StoreName = 'workflows' | 'results' | 'servers' | 'settings';
export const STORE_NAMES: readonly StoreName[] = ['workflows', 'results', 'servers', 'settings'];

let opening: Promise<IDBPDatabase<PocketDB>> | null = null;

export function db(): Promise<IDBPDatabase<PocketDB>> {
	opening ??= openDB<PocketDB>(DB_NAME, DB_VERSION, {
		// Each version only adds: a device on an older version keeps all its data when it upgrades.
		upgrade(database, oldVersion) {
			if (oldVersion < 1) createVersion1(database);
			if (oldVersion < 2) database.createObjectStore('outbox', { keyPath: 'promptId' }).createIndex('serverId', 'serverId');
		},
		// Another tab holds an older version open: let it go so this one can upgrade next time.
		blocking() {
			void opening?.then((d) => d.close());
			opening = null;
		}
	}).catch((err: unknown) => {
		opening = null;
		throw err;
	});
	return opening;
}

function createVersion1(database: IDBPDatabase<PocketDB>): void {
	const workflows = database.createObjectStore('workflows', { keyPath: 'id' });
	workflows.createIndex('updatedAt', 'updatedAt');
	const results = database.createObjectStore('results', { keyPath: 'id' });
	results.createIndex('createdAt', 'createdAt');
	results.createIndex('workflowId', 'workflowId');
	results.createIndex('promptId', 'promptId');
	database.createObjectStore('servers', { keyPath: 'id' });
	database.createObjectStore('settings', { keyPath: 'key' });
}

/** Closes the connection (tests delete the database between cases; the app never needs this). */
export async function closeDb(): Promise<void> {
	const current = opening;
	opening = null;
	if (current) (await current).close();
}

/** Record ids: v4 UUIDs that also work on plain-http LAN pages, where `crypto.randomUUID` is missing. */
export { randomId as newId } from '$lib/comfy/ids';
