// The Relay Durable Object: one per ComfyUI server (one per rig, rigs.ts). It owns the single upstream WebSocket under its own clientId,
// submits every prompt under that id, and rebroadcasts what comes back to every paired phone with sequence numbers.
// The class wires the parts together; each concern lives in its own module.
import { DurableObject } from 'cloudflare:workers';
import { FRAME_PREVIEW_IMAGE, FRAME_PREVIEW_WITH_METADATA } from '../../src/lib/comfy/frames';
import { toMessage, type ComfyMessage } from '../../src/lib/comfy/messages';
import type { HistoryEntry, QueueState } from '../../src/lib/comfy/types';
import { comfyEnvelopeText, PING, PONG, toPhoneMessage, type RunInfo, type ServerEnvelope, type UpstreamState } from '../../src/lib/relay/protocol';
import { classifyApiRequest } from './allowlist';
import { Credentials, createCredentialTables } from './credentials';
import { routeInternal } from './device-routes';
import type { Env } from './env';
import { EventLog } from './event-log';
import { PhoneHub } from './phone-hub';
import { PushKeys } from './push-keys';
import { notifyPromptEnd } from './push-send';
import { PushSubscriptions } from './push-subscriptions';
import { DEVICE_HEADER, DEVICE_NAME_HEADER, RIG_HEADER } from './internal-headers';
import { FailureLimiter } from './rate-limit';
import { lostPromptMessages, reconcile } from './reconcile';
import { handleRelayApi } from './relay-api';
import type { AuthResult, ControlHost } from './relay-host';
import { RelayState } from './relay-state';
import { RelayStore } from './relay-store';
import { routeControl } from './relay-control';
import { RunOwners } from './run-owners';
import { notFound } from './responses';
import { findRig } from './rigs';
import { UpstreamSocket } from './upstream-socket';

/** A run card's device when its name is not known (a device unpaired since, or a rig object restarted without it). */
const UNKNOWN_DEVICE = 'A paired device';
import { rigUpstreamConfig, upstreamConfig, upstreamFetch, type UpstreamConfig } from './upstream-http';

/** While phones are connected or jobs run, the alarm re-checks the upstream and reconciles this often. */
const HEALTH_INTERVAL_MS = 30_000;
const LIVE_WAIT_MS = 5_000;
/** A prompt whose outcome the relay could not learn within this long is no longer waited for. */
const JOB_EXPIRY_MS = 24 * 60 * 60_000;
/** How long after a queued prompt ComfyUI's `status` broadcast may take before the socket is presumed deaf. */
const STATUS_WAIT_MS = 5_000;


export class Relay extends DurableObject<Env> implements ControlHost {
	readonly credentials: Credentials;
	readonly limiter = new FailureLimiter({ maxFailures: 10, windowMs: 60_000 });
	readonly hub: PhoneHub;
	readonly log = new EventLog();
	readonly state: RelayState;
	readonly upstream: UpstreamSocket;
	readonly pushKeys: PushKeys;
	readonly pushSubscriptions: PushSubscriptions;
	/** Who queued and who stopped each prompt, for every phone's shared view. */
	readonly owners: RunOwners;
	/** Names this lifetime of the in-memory log; phones from another lifetime get a snapshot, not a replay. */
	readonly epoch = crypto.randomUUID();
	readonly #store: RelayStore;
	/** The rig this object serves; null for the default rig (COMFY_URL), and for a rig object not yet told its name. */
	#rig: string | null;
	/** Null only for a rig that is no longer configured: such an object never contacts an upstream. */
	#config: UpstreamConfig | null;
	readonly #clientId: string;
	#reconciling = false;
	/** Text messages received from ComfyUI so far; lets the status watchdog see whether anything arrived. */
	#upstreamMessages = 0;

	constructor(ctx: DurableObjectState, env: Env) {
		super(ctx, env);
		createCredentialTables(ctx.storage.sql);
		this.credentials = new Credentials(ctx.storage.sql);
		this.#store = new RelayStore(ctx.storage.sql);
		this.pushKeys = new PushKeys(ctx.storage.sql);
		this.pushSubscriptions = new PushSubscriptions(ctx.storage.sql);
		this.#clientId = this.#store.clientId();
		this.#rig = this.#store.rigName();
		this.#config = this.#rig === null ? upstreamConfig(env) : configOfRig(env, this.#rig);
		this.state = new RelayState(this.#store.recentResults());
		this.owners = new RunOwners(this.#restoredOwners());
		this.hub = new PhoneHub(ctx);
		const relay = this;
		this.upstream = new UpstreamSocket({
			get config() {
				return relay.#upstreamConfig();
			},
			clientId: this.#clientId,
			events: {
				onText: (text, message) => this.#fromUpstream(text, message),
				onBinary: (frame) => this.#previewFromUpstream(frame),
				onLive: () => void this.reconcileNow(),
				onState: (state) => this.#upstreamChanged(state)
			}
		});
		ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair(PING, PONG));
		// A rig taken out of RIGS: its phones are told, and nothing is contacted.
		if (this.#config === null) for (const socket of ctx.getWebSockets()) socket.close(1011, 'rig not configured');
		// Woken with phones still attached (after an eviction or deploy): they need the upstream again.
		else if (this.hub.count > 0 || this.#store.activeJobs().length > 0) this.updateUpstreamNeed();
	}

	get adminSecret(): string | undefined {
		return this.env.ADMIN_SECRET;
	}

	get simulated(): boolean {
		return this.env.COMFY_SIMULATED === '1';
	}

	get vapidSubject(): string | undefined {
		return this.env.VAPID_SUBJECT || undefined;
	}

	/** Only the relay's tests set it: the origin of their local fake push service. */
	get pushTestOrigin(): string | undefined {
		return this.env.PUSH_TEST_ORIGIN || undefined;
	}

	async fetch(request: Request): Promise<Response> {
		const url = new URL(request.url);
		const rig = request.headers.get(RIG_HEADER);
		if (rig !== null && !this.#bindRig(rig)) return Response.json({ error: 'rig-mismatch', message: 'This relay object serves another rig.' }, { status: 500 });
		// A rig object answers only the Worker's internal requests; pairing and the admin routes are the default rig's.
		if (this.#rig !== null && (rig === null || !url.pathname.startsWith('/internal/'))) return notFound();
		if (!url.pathname.startsWith('/internal/')) return routeControl(this, request, url);
		// Set by the Worker after it verified the device, and stripped by it from every incoming request.
		const deviceId = request.headers.get(DEVICE_HEADER);
		if (!deviceId) return notFound();
		const nameOf = (device: string) => this.#deviceName(device, request);
		if (url.pathname.startsWith('/internal/api/')) {
			const route = classifyApiRequest(request.method, url.pathname.slice('/internal/api'.length), url.searchParams);
			if (!route || route.handler !== 'relay') return notFound();
			return handleRelayApi(
				{
					config: this.#upstreamConfig(),
					clientId: this.#clientId,
					ensureLive: () => this.#ensureLive(),
					trackJob: (promptId, device, title) => this.#store.trackJob(promptId, device, Date.now(), title, this.#rig === null ? undefined : nameOf(device)),
					untrackJob: (promptId) => this.#store.untrackJob(promptId),
					expectStatus: () => this.#expectStatus(),
					queued: (promptId, device, title) => this.#announceRun(this.owners.queued(promptId, device, nameOf(device), title)),
					stopped: (promptIds, device) => {
						for (const promptId of promptIds) this.#announceRun(this.owners.stopped(promptId, device, nameOf(device)));
					}
				},
				route,
				request,
				deviceId
			);
		}
		return routeInternal(this, request, url, deviceId);
	}

	/** RPC from the Worker before it streams a large body: is this bearer a paired device? */
	async verifyDevice(token: string | null, address: string): Promise<AuthResult> {
		const verdict = await this.limiter.attempt(address, async () => (token ? await this.credentials.verifyToken(token) : null));
		if (verdict.ok) return { ok: true, deviceId: verdict.value, deviceName: this.#deviceName(verdict.value) };
		return verdict.retryAfterMs > 0 ? { ok: false, status: 429, retryAfterMs: verdict.retryAfterMs } : { ok: false, status: 401 };
	}

	/** RPC from the Worker before it opens a rig's phone socket; also the default rig's own `/relay/ws`. */
	async redeemTicket(ticket: string | null, address: string): Promise<AuthResult> {
		const wait = this.limiter.retryAfterMs(address);
		if (wait > 0) return { ok: false, status: 429, retryAfterMs: wait };
		const verdict = await this.limiter.attempt(address, async () => (ticket ? await this.credentials.redeemTicket(ticket) : null));
		if (verdict.ok) return { ok: true, deviceId: verdict.value, deviceName: this.#deviceName(verdict.value) };
		return verdict.retryAfterMs > 0 ? { ok: false, status: 429, retryAfterMs: verdict.retryAfterMs } : { ok: false, status: 401 };
	}

	/** Sends the hello (snapshot or replay) to a newly accepted phone socket. */
	greet(socket: WebSocket, since: number | null, epoch: string | null): void {
		const replay = since !== null && epoch === this.epoch ? this.log.since(since) : null;
		const hello: ServerEnvelope = { t: 'hello', seq: this.log.seq, epoch: this.epoch, resumed: replay !== null, simulated: this.simulated };
		if (replay === null) hello.snapshot = { ...this.state.snapshot(this.upstream.state), runs: this.owners.list() };
		socket.send(JSON.stringify(hello));
		for (const text of replay ?? []) socket.send(text);
		this.updateUpstreamNeed();
	}

	async webSocketMessage(socket: WebSocket, message: string | ArrayBuffer): Promise<void> {
		const ack = typeof message === 'string' ? toPhoneMessage(message) : null;
		if (ack) this.hub.ack(socket, ack.n);
	}

	async webSocketClose(socket: WebSocket, code: number): Promise<void> {
		try {
			socket.close(code === 1005 || code === 1006 ? 1000 : code, 'bye');
		} catch {
			// the runtime already completed the close
		}
		this.hub.remove(socket);
		this.updateUpstreamNeed();
	}

	async webSocketError(socket: WebSocket): Promise<void> {
		this.hub.remove(socket);
		this.updateUpstreamNeed();
	}

	async alarm(): Promise<void> {
		this.#store.expireJobs(Date.now() - JOB_EXPIRY_MS);
		this.updateUpstreamNeed();
		if (this.upstream.live) await this.reconcileNow();
	}

	/** Holds the upstream only while someone needs it, so the object can rest otherwise. */
	updateUpstreamNeed(): void {
		const needed = this.#config !== null && (this.hub.count > 0 || this.#store.activeJobs().length > 0);
		this.upstream.want(needed);
		if (needed) void this.ctx.storage.setAlarm(Date.now() + HEALTH_INTERVAL_MS);
	}

	async reconcileNow(): Promise<void> {
		const jobs = this.#store.activeJobs().filter((id) => !this.state.hasResult(id));
		if (this.#reconciling || jobs.length === 0) return;
		this.#reconciling = true;
		try {
			const outcome = await reconcile(
				{
					getQueue: () => this.#getJson<QueueState>('/api/queue'),
					getHistory: async (id) => (await this.#getJson<Record<string, HistoryEntry>>(`/api/history/${encodeURIComponent(id)}`))[id] ?? null
				},
				jobs
			);
			for (const ended of outcome?.ended ?? []) this.#emitRebuilt(ended.promptId, ended.messages);
			for (const promptId of outcome?.lost ?? []) this.#emitRebuilt(promptId, lostPromptMessages(promptId));
		} finally {
			this.#reconciling = false;
		}
		this.updateUpstreamNeed();
	}

	async #getJson<T>(path: string): Promise<T> {
		const res = await upstreamFetch(this.#upstreamConfig(), path);
		if (!res.ok) throw new Error(`ComfyUI answered ${res.status} for ${path}`);
		return (await res.json()) as T;
	}

	#emitRebuilt(promptId: string, messages: Record<string, unknown>[]): void {
		if (this.state.hasResult(promptId)) return;
		for (const raw of messages) this.#emitMessage(JSON.stringify(raw), toMessage(raw), 'history');
	}

	/**
	 * ComfyUI's registry hazard: if an old socket with our clientId closes after a new one registered, the new one is
	 * unregistered without notice and hears nothing, not even broadcasts. A prompt we just queued makes ComfyUI
	 * broadcast `status`; if nothing arrives, the socket is recycled, and the reconnect reconciles the lost events.
	 */
	#expectStatus(): void {
		const before = this.#upstreamMessages;
		setTimeout(() => {
			if (this.upstream.live && this.#upstreamMessages === before) this.upstream.recycle('ComfyUI sent nothing after a queued prompt');
		}, STATUS_WAIT_MS);
	}

	#fromUpstream(text: string, message: ComfyMessage | null): void {
		this.#upstreamMessages++;
		// Our own negotiation reply; phones negotiate nothing with ComfyUI.
		if (message?.type === 'feature_flags') return;
		this.#emitMessage(text, message);
	}

	#emitMessage(text: string, message: ComfyMessage | null, from?: 'history'): void {
		const result = message ? this.state.apply(message, from === 'history' ? 'history' : 'live') : null;
		const { text: envelope } = this.log.append((seq) => comfyEnvelopeText(seq, text, from));
		this.hub.sendText(envelope);
		if (result) {
			// Read before saveResult, which forgets the job.
			const title = this.#store.jobTitle(result.promptId);
			this.#store.saveResult(result);
			this.owners.ended(result.promptId);
			const ownerId = this.owners.get(result.promptId)?.deviceId;
			this.updateUpstreamNeed();
			// After the broadcast above, and not awaited: a slow push service must never hold up the phones' events.
			this.ctx.waitUntil(
				notifyPromptEnd({ keys: () => this.pushKeys.get(), subscriptions: this.pushSubscriptions, subject: this.vapidSubject }, result, title, ownerId).catch(() => [])
			);
		}
	}

	#previewFromUpstream(frame: ArrayBuffer): void {
		const seq = this.log.next();
		// Only the event type decides the delivery class; the frame itself is passed on untouched.
		const event = frame.byteLength >= 4 ? new DataView(frame).getUint32(0) : -1;
		if (event === FRAME_PREVIEW_IMAGE || event === FRAME_PREVIEW_WITH_METADATA) {
			this.state.notePreview(seq, new Uint8Array(frame));
			this.hub.sendPreview(frame);
		} else {
			this.hub.sendText(frame);
		}
	}

	#announceRun(run: RunInfo): void {
		const { text } = this.log.append((seq) => JSON.stringify({ t: 'run', seq, run }));
		this.hub.sendText(text);
	}

	/**
	 * Who a device is, for run cards: the default rig's object keeps the devices; a rig's object is told the name by
	 * the Worker with each request (DEVICE_NAME_HEADER, set only by the Worker) and keeps it with the job.
	 */
	#deviceName(deviceId: string, request?: Request): string {
		const known = this.credentials.listDevices().find((d) => d.deviceId === deviceId)?.name;
		if (known) return known;
		const told = this.#rig !== null ? request?.headers.get(DEVICE_NAME_HEADER) : null;
		if (told) {
			try {
				return decodeURIComponent(told).slice(0, 80);
			} catch {
				// A malformed name is no name.
			}
		}
		return UNKNOWN_DEVICE;
	}

	#restoredOwners(): RunInfo[] {
		const names = new Map(this.credentials.listDevices().map((d) => [d.deviceId, d.name]));
		return this.#store.activeJobRows().map((job) => ({
			promptId: job.promptId,
			deviceId: job.deviceId,
			device: names.get(job.deviceId) ?? job.deviceName ?? UNKNOWN_DEVICE,
			queuedAt: job.submittedAt,
			...(job.title ? { title: job.title } : {})
		}));
	}

	#upstreamChanged(state: UpstreamState): void {
		const { text } = this.log.append((seq) => JSON.stringify({ t: 'upstream', seq, state }));
		this.hub.sendText(text);
	}

	/**
	 * A new rig object learns its rig from the Worker's first request and keeps it, so that after a restart (an
	 * alarm, phones still attached) it reconnects to that rig's upstream. False when it already serves another.
	 */
	#bindRig(name: string): boolean {
		if (this.#rig === name) return true;
		if (this.#rig !== null) return false;
		this.#store.setRigName(name);
		this.#rig = name;
		this.#config = configOfRig(this.env, name);
		return true;
	}

	#upstreamConfig(): UpstreamConfig {
		if (this.#config === null) throw new Error('This rig is no longer configured (RIGS).');
		return this.#config;
	}

	async #ensureLive(): Promise<void> {
		this.upstream.want(true);
		await this.upstream.whenLive(LIVE_WAIT_MS);
	}
}

/** A rig's upstream as configured now; null once RIGS no longer names it. */
function configOfRig(env: Env, name: string): UpstreamConfig | null {
	const rig = findRig(env, name);
	return rig && !rig.isDefault ? rigUpstreamConfig(rig) : null;
}
