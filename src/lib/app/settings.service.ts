// Settings actions on the device's data: backup file export/import, clearing caches, freeing space.
import { deleteOldestResults, deleteSettingsWithPrefix, exportAll, importAll, type ImportOutcome } from '$lib/storage';
import { SHARE_CACHE } from './library.service';
import { OBJECT_INFO_CACHE_PREFIX, session } from './session.svelte';
import { preferences } from './settings.svelte';

export function backupFileName(date = new Date()): string {
	return `comfy-pocket-backup-${date.toISOString().slice(0, 10)}.json`;
}

/** Builds the backup file and hands it to the browser as a download. */
export async function downloadBackup(): Promise<void> {
	const blob = await exportAll();
	const url = URL.createObjectURL(blob);
	const link = document.createElement('a');
	link.href = url;
	link.download = backupFileName();
	link.click();
	// The download has started by the time the click handler returns; give slow browsers a moment anyway.
	setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export async function restoreBackup(file: File): Promise<ImportOutcome> {
	const outcome = await importAll(file);
	// The backup carries every setting (previews, Done alerts…): the screens show the restored ones at once.
	if (outcome.ok) await Promise.all([session.reloadServers(), preferences.load()]);
	return outcome;
}

/**
 * Forgets data that can be fetched again: cached /object_info of every server and leftover shared files.
 * Workflows, results, servers and settings are kept; the app shell cache belongs to the service worker.
 */
export async function clearCache(): Promise<number> {
	const removed = await deleteSettingsWithPrefix(OBJECT_INFO_CACHE_PREFIX);
	if (typeof caches !== 'undefined') await caches.delete(SHARE_CACHE).catch(() => false);
	session.objectInfo = null;
	session.objectInfoFrom = null;
	void session.refreshObjectInfo();
	return removed;
}

export function freeSpace(keepNewest: number): Promise<number> {
	return deleteOldestResults(keepNewest);
}
