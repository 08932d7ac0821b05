// The app's connection to ComfyUI: which servers exist, which one is active, its transport (direct LAN socket or
// relay), the live connection state for the status pill, and /object_info (cached on the device so forms open
// offline). One singleton, `session`; screens read it, services change it.
import type { ComfyTransport, ConnectionStatus } from '$lib/comfy/transport';
import type { ObjectInfo } from '$lib/comfy/types';
import { getSetting, isPool, listServers, newId, poolMembers, setSetting, type ServerRecord } from '$lib/storage';
import { routeLabel } from './paths/route-label';
import { createServerTransport } from './server-transport';
import type { SwitchingTransport } from './paths/switching-transport';
import type { RigLive } from './pools/rig-view';
import { isPoolTransport, rigLiveOf, rigNameOf } from './pools/pool-follow';

export type ConnectionVia = 'lan' | 'relay' | 'pool';

export interface SessionConnection {
	status: ConnectionStatus;
	via: ConnectionVia | null;
	/** ms epoch of the last message or frame from the server, for "last event 12 s ago". */
	lastEventAt: number | null;
	/** The relay is running against the ComfyUI emulator (`npm run demo`). */
	simulated: boolean;
	error?: string;
	/** For a server with several ways in: the one in use, as the pill says it ("home Wi-Fi", "relay"). */
	path?: string;
}

const ACTIVE_SERVER_KEY = 'activeServerId';
const CLIENT_ID_KEY = 'comfy-pocket:clientId';
export const OBJECT_INFO_CACHE_PREFIX = 'cache:objectInfo:';
// Previews arrive at up to ~75 frames/s; the pill only needs to know "seconds ago".
const LAST_EVENT_RESOLUTION_MS = 1000;

function idle(): SessionConnection {
	return { status: 'idle', via: null, lastEventAt: null, simulated: false };
}

/**
 * One ComfyUI client id per tab, kept across reloads of that tab (sessionStorage). ComfyUI keeps one socket per
 * client id: two tabs sharing an id would silently take each other's progress and previews away.
 */
function tabClientId(): string {
	try {
		const saved = sessionStorage.getItem(CLIENT_ID_KEY);
		if (saved) return saved;
		const id = newId();
		sessionStorage.setItem(CLIENT_ID_KEY, id);
		return id;
	} catch {
		return newId();
	}
}

class Session {
	servers = $state.raw<ServerRecord[]>([]);
	activeServerId = $state<string | null>(null);
	activeServer = $derived(this.servers.find((s) => s.id === this.activeServerId) ?? null);
	transport = $state.raw<ComfyTransport | null>(null);
	connection = $state<SessionConnection>(idle());
	/** The active pool's rigs and their live state (issue 11); empty when the active server is not a pool. */
	rigs = $state.raw<RigLive[]>([]);
	objectInfo = $state.raw<ObjectInfo | null>(null);
	/** Whether objectInfo came from the server in this session or from the device's cache. */
	objectInfoFrom = $state<'server' | 'cache' | null>(null);
	online = $state(typeof navigator === 'undefined' ? true : navigator.onLine);
	/** True while a job of this app runs: the update prompt waits until it is false. The Run screen sets it. */
	busy = $state(false);
	/** The server list has been read from the device (so "no server yet" is a fact, not a loading state). */
	ready = $state(false);
	/** Set when the device storage could not be read at start; the UI shows it. */
	loadError = $state<string | null>(null);

	#clientId: string | null = null;
	#unsubscribe: (() => void) | null = null;
	#started: Promise<void> | null = null;

	/** Loads servers and connects to the active one. Safe to call more than once. */
	start(): Promise<void> {
		this.#started ??= this.#start();
		return this.#started;
	}

	async #start(): Promise<void> {
		if (typeof window !== 'undefined') {
			window.addEventListener('online', () => this.#setOnline(true));
			window.addEventListener('offline', () => this.#setOnline(false));
			// Phones suspend background pages: on return, reconnect now instead of waiting out the backoff.
			document.addEventListener('visibilitychange', () => {
				if (document.visibilityState === 'visible' && this.connection.status !== 'live') this.transport?.events.retryNow();
			});
		}
		try {
			this.#clientId = tabClientId();
			this.servers = await listServers();
			const saved = await getSetting<string>(ACTIVE_SERVER_KEY);
			this.activeServerId = this.servers.some((s) => s.id === saved) ? (saved ?? null) : (this.servers[0]?.id ?? null);
		} catch (err) {
			this.loadError = err instanceof Error ? err.message : String(err);
			return;
		}
		this.ready = true;
		await this.connect();
	}

	/** Re-reads the server list (after one was added, paired or removed) and reconnects if the active one changed. */
	async reloadServers(preferId?: string): Promise<void> {
		// The first load must have happened, or it would land after this one and bring the old choice back
		// (a pairing link opened on a cold start used to end up on the previous server).
		await this.start();
		const before = poolShape(this.activeServer, this.servers);
		this.servers = await listServers();
		const wanted = preferId ?? this.activeServerId;
		const next = this.servers.some((s) => s.id === wanted) ? wanted : (this.servers[0]?.id ?? null);
		if (next !== this.activeServerId || !this.transport) await this.select(next);
		// The active pool gained or lost a rig (or one of its rigs changed): its transport is built again.
		else if (poolShape(this.activeServer, this.servers) !== before) await this.connect();
	}

	/** Pauses or resumes a rig of the active pool at once (the record is stored by app/pools/pools.service.ts). */
	setRigPaused(poolId: string, rigId: string, paused: boolean): void {
		if (this.activeServerId === poolId && isPoolTransport(this.transport)) this.transport.setPaused(rigId, paused);
	}

	/** On a pool: the name of the rig that holds this job (read again whenever the rigs' state changes). */
	rigName(promptId: string): string | null {
		if (this.rigs.length === 0) return null;
		return rigNameOf(this.transport, promptId);
	}

	async select(serverId: string | null): Promise<void> {
		await this.start();
		this.activeServerId = serverId;
		await setSetting(ACTIVE_SERVER_KEY, serverId).catch(() => undefined);
		await this.connect();
	}

	async connect(): Promise<void> {
		this.disconnect();
		const server = this.activeServer;
		if (!server || !this.#clientId) {
			this.objectInfo = null;
			this.objectInfoFrom = null;
			return;
		}
		const via: ConnectionVia = server.kind;
		this.connection = { ...idle(), status: 'connecting', via };
		await this.#loadCachedObjectInfo(server.id);
		let transport: ComfyTransport;
		try {
			transport = await createServerTransport(server, this.#clientId, this.servers);
		} catch (err) {
			this.connection = { ...this.connection, status: 'offline', error: err instanceof Error ? err.message : String(err) };
			return;
		}
		// A newer connect() may have started while the relay module loaded.
		if (this.activeServer?.id !== server.id || this.transport) return;
		this.transport = transport;
		// The relay says in its hello whether it serves the emulator (`npm run demo`); the pill shows "simulated".
		const simulated = () => simulatedOf(transport);
		const offRoute =
			isSwitching(transport)
				? transport.onRouteChange((rt) => {
						this.connection = { ...this.connection, via: rt.route.kind, path: routeLabel(rt.route) };
					})
				: null;
		// A pool: its rigs' state for Settings and the pill.
		const offRigs = isPoolTransport(transport)
			? (() => {
					const read = () => (this.rigs = transport.rigs().map(rigLiveOf));
					read();
					return transport.onRigsChange(read);
				})()
			: null;
		const offEvents = transport.events.subscribe((event) => {
			if (event.type === 'connection') {
				const { status, error } = event.state;
				this.connection = { ...this.connection, status, error, simulated: simulated() };
				if (status === 'live' && this.objectInfoFrom !== 'server') void this.refreshObjectInfo();
			}
			const now = Date.now();
			if (this.connection.lastEventAt === null || now - this.connection.lastEventAt >= LAST_EVENT_RESOLUTION_MS) {
				this.connection.lastEventAt = now;
			}
		});
		this.#unsubscribe = () => {
			offRigs?.();
			offRoute?.();
			offEvents();
		};
		transport.events.connect();
	}

	disconnect(): void {
		this.#unsubscribe?.();
		this.#unsubscribe = null;
		this.transport?.events.close();
		this.transport = null;
		this.rigs = [];
		this.connection = idle();
	}

	/** Fetches /object_info from the server and caches it on the device for offline forms. */
	async refreshObjectInfo(): Promise<ObjectInfo | null> {
		const transport = this.transport;
		const server = this.activeServer;
		if (!transport || !server) return this.objectInfo;
		try {
			const info = await transport.api.getObjectInfo({ refresh: this.objectInfoFrom === 'server' });
			if (this.transport !== transport) return this.objectInfo;
			this.objectInfo = info;
			this.objectInfoFrom = 'server';
			await setSetting(OBJECT_INFO_CACHE_PREFIX + server.id, info).catch(() => undefined);
		} catch {
			// Offline or unreachable: the cached copy (if any) stays; the pill already says why.
		}
		return this.objectInfo;
	}

	async #loadCachedObjectInfo(serverId: string): Promise<void> {
		this.objectInfo = null;
		this.objectInfoFrom = null;
		const cached = await getSetting<ObjectInfo>(OBJECT_INFO_CACHE_PREFIX + serverId).catch(() => undefined);
		if (cached && this.activeServerId === serverId) {
			this.objectInfo = cached;
			this.objectInfoFrom = 'cache';
		}
	}

	#setOnline(online: boolean): void {
		this.online = online;
		if (online && this.connection.status !== 'live') this.transport?.events.retryNow();
	}
}

/** A server with several ways in (app/paths/): the transport says which one is in use. */
function isSwitching(transport: ComfyTransport): transport is SwitchingTransport {
	return typeof (transport as Partial<SwitchingTransport>).onRouteChange === 'function';
}

function simulatedOf(transport: ComfyTransport): boolean {
	if (isSwitching(transport)) return transport.simulated;
	return (transport.events as { relay?: { simulated?: boolean } }).relay?.simulated ?? false;
}

/** What a pool's transport is built from (its rigs' records), to know when it must be built again. */
function poolShape(server: ServerRecord | null, servers: readonly ServerRecord[]): string {
	if (!isPool(server)) return '';
	return JSON.stringify(poolMembers(server, servers).map((rig) => [rig.id, rig.kind, rig.baseUrl, rig.token ?? '', rig.routes ?? []]));
}

export const session = new Session();
