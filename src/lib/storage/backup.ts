// Export and import of everything on the device as one JSON file (workflows, results with their files,
// servers including their relay tokens, settings).
import { db, STORE_NAMES, type StoreName } from './db';
import { decodeBlobs, encodeBlobs } from './blob-codec';
import { guard, StorageFullError } from './errors';
import { isWellFormedPool } from './pools';
import type { ResultRecord, ServerRecord, SettingRecord, WorkflowRecord } from './types';

export const BACKUP_FORMAT = 'comfy-pocket-backup';
export const BACKUP_VERSION = 1;

interface BackupContents {
	workflows: WorkflowRecord[];
	results: ResultRecord[];
	servers: ServerRecord[];
	settings: SettingRecord[];
}

export type BackupCounts = Record<StoreName, number>;

export type ImportOutcome = { ok: true; counts: BackupCounts } | { ok: false; error: string };

export function exportAll(): Promise<Blob> {
	return guard('export your data', async () => {
		const database = await db();
		const tx = database.transaction([...STORE_NAMES], 'readonly');
		const [workflows, results, servers, settings] = await Promise.all(STORE_NAMES.map((name) => tx.objectStore(name).getAll()));
		await tx.done;
		const body = {
			format: BACKUP_FORMAT,
			version: BACKUP_VERSION,
			exportedAt: new Date().toISOString(),
			...((await encodeBlobs({ workflows, results, servers, settings })) as object)
		};
		return new Blob([JSON.stringify(body)], { type: 'application/json' });
	});
}

function keyOf(store: StoreName): 'id' | 'key' {
	return store === 'settings' ? 'key' : 'id';
}

/** Checks the file's shape; returns the decoded records or a sentence saying what is wrong. */
export function parseBackup(text: string): { ok: true; contents: BackupContents } | { ok: false; error: string } {
	let data: unknown;
	try {
		data = JSON.parse(text);
	} catch {
		return { ok: false, error: 'This file is not a Comfy Pocket backup (it is not JSON).' };
	}
	if (!data || typeof data !== 'object' || (data as { format?: unknown }).format !== BACKUP_FORMAT) {
		return { ok: false, error: 'This file is not a Comfy Pocket backup.' };
	}
	const version = (data as { version?: unknown }).version;
	if (typeof version !== 'number' || version > BACKUP_VERSION) {
		return { ok: false, error: `This backup was made by a newer version of Comfy Pocket (format ${String(version)}). Update the app first.` };
	}
	const contents: Partial<BackupContents> = {};
	for (const store of STORE_NAMES) {
		const rows = (data as Record<string, unknown>)[store] ?? [];
		if (!Array.isArray(rows)) return { ok: false, error: `The backup's "${store}" section is damaged.` };
		const key = keyOf(store);
		if (rows.some((row) => !row || typeof row !== 'object' || typeof (row as Record<string, unknown>)[key] !== 'string')) {
			return { ok: false, error: `The backup's "${store}" section has entries without ${key === 'id' ? 'an id' : 'a key'}.` };
		}
		if (store === 'servers' && !rows.every((row) => isWellFormedPool(row as Record<string, unknown>))) {
			return { ok: false, error: 'The backup\'s "servers" section has a pool without its list of servers.' };
		}
		try {
			(contents as Record<string, unknown>)[store] = decodeBlobs(rows);
		} catch {
			return { ok: false, error: `The backup's "${store}" section has a damaged file inside.` };
		}
	}
	return { ok: true, contents: contents as BackupContents };
}

/**
 * Merges a backup into the device: records with the same id are replaced, others are kept. All or nothing:
 * one transaction, so a full disk leaves the device exactly as it was.
 */
export async function importAll(file: Blob): Promise<ImportOutcome> {
	let text: string;
	try {
		text = await file.text();
	} catch {
		return { ok: false, error: 'The file could not be read.' };
	}
	const parsed = parseBackup(text);
	if (!parsed.ok) return parsed;
	try {
		return await guard('import the backup', async () => {
			const tx = (await db()).transaction([...STORE_NAMES], 'readwrite');
			const counts = { workflows: 0, results: 0, servers: 0, settings: 0 } satisfies BackupCounts;
			const writes: Promise<unknown>[] = [];
			for (const store of STORE_NAMES) {
				for (const row of parsed.contents[store]) {
					// The union of record types is keyed per store; the shape was checked in parseBackup.
					writes.push(tx.objectStore(store).put(row as never));
					counts[store]++;
				}
			}
			await Promise.all([...writes, tx.done]);
			return { ok: true as const, counts };
		});
	} catch (err) {
		if (err instanceof StorageFullError) return { ok: false, error: err.message };
		return { ok: false, error: err instanceof Error ? err.message : String(err) };
	}
}
