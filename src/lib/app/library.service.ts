// Library actions: importing workflow files (picker, drop, paste, share target, the server's saved workflows),
// rename, duplicate, delete. Every failure becomes a notice; a file that cannot be imported is never half-saved.
import { m } from '$lib/i18n';
import { importFailureText } from './import-text';
import { deleteWorkflow, duplicateWorkflow, renameWorkflow, saveWorkflow, StorageFullError, type WorkflowRecord } from '$lib/storage';
import { library, type Notice } from './library.svelte';
import { session } from './session.svelte';
import { preferences } from './settings.svelte';

export const SHARE_CACHE = 'comfy-pocket-shared';

/** "workflows/portrait v2.json" → "portrait v2". */
export function workflowName(fileName: string): string {
	const base = fileName.split('/').pop() ?? fileName;
	const stem = base.replace(/\.[a-z0-9]{1,5}$/i, '').trim();
	return stem || m.library_default_name();
}

function failure(fileName: string, err: unknown): Notice {
	if (err instanceof StorageFullError) return { kind: 'error', text: m.library_storage_full(), freeSpace: true };
	return { kind: 'error', text: m.common_item_message({ name: fileName, text: err instanceof Error ? err.message : String(err) }) };
}

/** Imports one file's bytes; returns the saved workflow, or null after posting a notice that says why not. */
export async function importBytes(bytes: Uint8Array, fileName: string): Promise<WorkflowRecord | null> {
	try {
		// The workflow engine is large; the Library's first paint does not need it.
		const { importWorkflowFile } = await import('$lib/workflow/import');
		const result = await importWorkflowFile(bytes, fileName);
		if (!result.ok) {
			library.notify({ kind: 'error', text: m.common_item_message({ name: fileName, text: importFailureText(result) }) });
			return null;
		}
		const saved = await saveWorkflow({
			name: workflowName(fileName),
			source: { workflow: result.workflow, prompt: result.prompt, fileName },
			serverId: session.activeServerId ?? undefined
		});
		for (const warning of result.warnings) library.notify({ kind: 'info', text: m.common_item_message({ name: saved.name, text: warning }) });
		return saved;
	} catch (err) {
		library.notify(failure(fileName, err));
		return null;
	}
}

export async function importFiles(files: Iterable<File>): Promise<WorkflowRecord[]> {
	library.busy = true;
	const saved: WorkflowRecord[] = [];
	try {
		for (const file of files) {
			let bytes: Uint8Array;
			try {
				bytes = new Uint8Array(await file.arrayBuffer());
			} catch (err) {
				library.notify(failure(file.name, err));
				continue;
			}
			const record = await importBytes(bytes, file.name || m.library_dropped_file());
			if (record) saved.push(record);
		}
	} finally {
		library.busy = false;
	}
	await library.load();
	if (saved.length) library.notify({ kind: 'info', text: saved.length === 1 ? m.library_imported_one({ name: saved[0].name }) : m.library_imported_many({ count: saved.length }) });
	return saved;
}

/** Pasted workflow JSON (Ctrl+V of "Copy (API)" or a whole workflow). */
export async function importPastedText(text: string): Promise<WorkflowRecord | null> {
	const record = await importBytes(new TextEncoder().encode(text), m.library_pasted_file());
	await library.load();
	return record;
}

/**
 * Files the service worker received through the share target. Each is removed from the share cache once it is
 * imported or found unusable; only a full disk leaves it there, to try again after freeing space.
 */
export async function importSharedFiles(): Promise<WorkflowRecord[]> {
	if (typeof caches === 'undefined') return [];
	const saved: WorkflowRecord[] = [];
	try {
		const cache = await caches.open(SHARE_CACHE);
		for (const request of await cache.keys()) {
			const response = await cache.match(request);
			if (!response) continue;
			const name = decodeURIComponent(response.headers.get('X-File-Name') ?? m.library_shared_file());
			const file = new File([await response.blob()], name, { type: response.headers.get('Content-Type') ?? '' });
			const before = library.notices.length;
			const [record] = await importFiles([file]);
			const fullDisk = library.notices.slice(before).some((n) => n.freeSpace);
			if (record) saved.push(record);
			if (!fullDisk) await cache.delete(request);
		}
	} catch (err) {
		library.notify({ kind: 'error', text: m.library_shared_unreadable({ error: err instanceof Error ? err.message : String(err) }) });
	}
	return saved;
}

export async function importFromServer(path: string): Promise<WorkflowRecord | null> {
	const api = session.transport?.api;
	if (!api) {
		library.notify({ kind: 'error', text: m.library_connect_first() });
		return null;
	}
	let bytes: Uint8Array;
	try {
		bytes = await api.getUserWorkflow(path);
	} catch (err) {
		library.notify({ kind: 'error', text: m.library_download_failed({ path, error: err instanceof Error ? err.message : String(err) }) });
		return null;
	}
	const record = await importBytes(bytes, path);
	await library.load();
	if (record) library.notify({ kind: 'info', text: m.library_imported_from_server({ name: record.name }) });
	return record;
}

async function act(action: () => Promise<unknown>): Promise<void> {
	try {
		await action();
	} catch (err) {
		library.notify(failure(m.nav_library(), err));
	}
	await library.load();
}

export const rename = (id: string, name: string) => act(() => renameWorkflow(id, name));
export const duplicate = (id: string) => act(() => duplicateWorkflow(id));
export const remove = (id: string) =>
	act(async () => {
		await deleteWorkflow(id);
		// The Run tab must not point at a workflow that is gone.
		if (preferences.lastWorkflowId === id) await preferences.setLastWorkflow(null);
	});
