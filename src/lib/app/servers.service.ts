// Server actions for Settings and the setup guide: test an address (full LAN diagnosis), add, select, remove.
import { currentBrowser, queryLocalNetworkPermission } from '$lib/connection/browser';
import { diagnose, type Diagnosis } from '$lib/connection/diagnose';
import { parseServerUrl } from '$lib/connection/target';
import { deleteServer, deleteSetting, isPool, poolMembers, saveServer, type ServerRecord } from '$lib/storage';
import { OBJECT_INFO_CACHE_PREFIX, session } from './session.svelte';
import { outbox } from './outbox/outbox.svelte';

export async function testServer(address: string): Promise<Diagnosis> {
	const diagnosis = await diagnose(address, {
		browser: currentBrowser(),
		fetch: (input, init) => fetch(input, init),
		WebSocketImpl: typeof WebSocket === 'undefined' ? null : WebSocket,
		lnaPermission: queryLocalNetworkPermission
	});
	// The active server (or a rig of the active pool) answers again: reconnect now and send what waits in the outbox.
	const active = session.activeServer;
	const activeUrls = isPool(active) ? poolMembers(active, session.servers).map((s) => s.baseUrl) : [active?.baseUrl];
	if (diagnosis.ok && diagnosis.baseUrl && activeUrls.includes(diagnosis.baseUrl)) outbox.sendNow();
	return diagnosis;
}

/** A readable default name: "ComfyUI on 192.168.1.20". */
export function defaultServerName(baseUrl: string): string {
	try {
		return `ComfyUI on ${new URL(baseUrl).hostname}`;
	} catch {
		return 'ComfyUI';
	}
}

export async function addLanServer(address: string, name?: string): Promise<ServerRecord> {
	const parsed = parseServerUrl(address);
	if (!parsed.ok) throw new Error(parsed.error);
	const existing = session.servers.find((s) => s.kind === 'lan' && s.baseUrl === parsed.baseUrl);
	const record = existing ?? (await saveServer({ kind: 'lan', name: name?.trim() || defaultServerName(parsed.baseUrl), baseUrl: parsed.baseUrl }));
	await session.reloadServers(record.id);
	return record;
}

export async function selectServer(id: string): Promise<void> {
	await session.select(id);
}

export async function removeServer(id: string): Promise<void> {
	await deleteServer(id);
	await deleteSetting(OBJECT_INFO_CACHE_PREFIX + id).catch(() => undefined);
	await session.reloadServers();
}
