// A fresh, empty IndexedDB (fake-indexeddb, a full implementation in Node) for every test.
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, beforeEach } from 'vitest';
import { closeDb } from '$lib/storage';

export function useFreshDatabase(): void {
	beforeEach(() => {
		globalThis.indexedDB = new IDBFactory();
	});
	afterEach(async () => {
		await closeDb();
	});
}

export function pngBlob(bytes: number[] = [0x89, 0x50, 0x4e, 0x47]): Blob {
	return new Blob([new Uint8Array(bytes)], { type: 'image/png' });
}
