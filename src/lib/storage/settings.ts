// Small key/value preferences and caches (theme, preview on/off, active server, cached /object_info…).
import { db } from './db';
import { guard } from './errors';

export function getSetting<T>(key: string): Promise<T | undefined>;
export function getSetting<T>(key: string, fallback: T): Promise<T>;
export function getSetting<T>(key: string, fallback?: T): Promise<T | undefined> {
	return guard('read a setting', async () => {
		const row = await (await db()).get('settings', key);
		return row === undefined ? fallback : (row.value as T);
	});
}

export function setSetting(key: string, value: unknown): Promise<void> {
	return guard('save a setting', async () => {
		await (await db()).put('settings', { key, value });
	});
}

export function deleteSetting(key: string): Promise<void> {
	return guard('delete a setting', async () => (await db()).delete('settings', key));
}

/** Deletes every setting whose key starts with `prefix` (used to clear caches). Returns how many. */
export function deleteSettingsWithPrefix(prefix: string): Promise<number> {
	return guard('clear cached data', async () => {
		const tx = (await db()).transaction('settings', 'readwrite');
		const range = IDBKeyRange.bound(prefix, `${prefix}\uffff`);
		let count = 0;
		let cursor = await tx.store.openCursor(range);
		while (cursor) {
			await cursor.delete();
			count++;
			cursor = await cursor.continue();
		}
		await tx.done;
		return count;
	});
}
