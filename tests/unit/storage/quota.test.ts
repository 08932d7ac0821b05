import { afterEach, describe, expect, it, vi } from 'vitest';
import { IDBObjectStore } from 'fake-indexeddb';
import { addResult, getSetting, importAll, listResults, saveWorkflow, StorageError, StorageFullError } from '$lib/storage';
import { isQuotaError } from '$lib/storage/errors';
import { pngBlob, useFreshDatabase } from './setup';

useFreshDatabase();

afterEach(() => {
	vi.restoreAllMocks();
});

// The browser's own behaviour when the origin is over quota: the write request fails with a QuotaExceededError.
function fillTheDisk(): void {
	vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(() => {
		throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
	});
}

describe('a full device', () => {
	it('turns a quota error into a StorageFullError that says how to free space', async () => {
		fillTheDisk();
		const attempt = addResult({ workflowId: 'w', promptId: 'p', serverId: 's', params: { values: {}, prompt: {} }, files: [] });
		await expect(attempt).rejects.toBeInstanceOf(StorageFullError);
		await expect(attempt).rejects.toThrow(/Free space/);
	});

	it('keeps what was there before the failed write', async () => {
		await addResult({ workflowId: 'w', promptId: 'kept', serverId: 's', params: { values: {}, prompt: {} }, files: [] });
		fillTheDisk();
		await expect(saveWorkflow({ name: 'x', source: {} })).rejects.toBeInstanceOf(StorageFullError);
		vi.restoreAllMocks();
		expect((await listResults()).map((r) => r.promptId)).toEqual(['kept']);
	});

	it('reports a full disk during import as a message, not an exception', async () => {
		const backup = JSON.stringify({ format: 'comfy-pocket-backup', version: 1, settings: [{ key: 'theme', value: 'dark' }] });
		fillTheDisk();
		const outcome = await importAll(new Blob([backup]));
		expect(outcome.ok).toBe(false);
		expect(!outcome.ok && outcome.error).toMatch(/storage is full/);
		vi.restoreAllMocks();
		expect(await getSetting('theme')).toBeUndefined();
	});

	it('wraps any other failure in a StorageError naming the operation', async () => {
		vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(() => {
			throw new DOMException('broken', 'UnknownError');
		});
		await expect(saveWorkflow({ name: 'x', source: { fileName: 'a.png' }, thumbnail: pngBlob() })).rejects.toThrow(
			new StorageError('save the workflow', { cause: new Error('broken') }).message
		);
	});

	it('recognises quota errors by name, legacy code and cause', () => {
		expect(isQuotaError(new DOMException('x', 'QuotaExceededError'))).toBe(true);
		expect(isQuotaError({ code: 22 })).toBe(true);
		expect(isQuotaError(new Error('outer', { cause: new DOMException('x', 'QuotaExceededError') }))).toBe(true);
		expect(isQuotaError(new DOMException('x', 'AbortError'))).toBe(false);
		expect(isQuotaError(null)).toBe(false);
	});
});
