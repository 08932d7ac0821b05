// The wire protocol between the relay's Durable Object and the phones, imported by both sides.
//
// Phone socket (`GET /relay/ws?ticket=T&since=SEQ&epoch=E`):
// - Text frames from the relay are JSON envelopes that carry an explicit `seq`.
// - Binary frames are ComfyUI preview frames forwarded byte for byte; each takes the next seq implicitly
//   (the phone counts). Under backpressure a phone may miss a preview, so its count can fall behind; the
//   next text envelope's explicit seq resynchronises it. Text envelopes are never dropped on an open socket.
// - Previews are not kept in the replay log; the snapshot carries the last one.
// - `epoch` names one lifetime of the relay's in-memory event log: after a restart, seqs start again and a
//   phone presenting another epoch gets a fresh snapshot instead of a replay.
import type { NodeOutput } from '../comfy/types';

export const RELAY_PREFIX = '/relay';
/** ComfyApi's base URL on the relay: its `/api/...` paths land under `/relay/api/api/...`. */
export const RELAY_API_PREFIX = '/relay/api';
/** Sent by phones as a keepalive; answered by the runtime without waking a hibernating relay. */
export const PING = 'ping';
export const PONG = 'pong';
/** Single-use WebSocket tickets expire after this long, so a ticket that ends up in a log is useless. */
export const TICKET_TTL_MS = 30_000;

/**
 * Preview backpressure (workerd has no bufferedAmount): the relay keeps at most PREVIEW_WINDOW previews
 * unacknowledged per phone, and a phone acknowledges them cumulatively, every ACK_EVERY previews or ACK_DELAY_MS
 * after the first unacknowledged one, whichever comes first. Batching keeps the relay's incoming messages low.
 */
export const PREVIEW_WINDOW = 8;
export const ACK_EVERY = 4;
export const ACK_DELAY_MS = 100;

/** Close codes the relay uses on phone sockets (4000-4999 are free for applications). */
export const CLOSE_REVOKED = 4001;
/** The phone stopped reading; it should reconnect and resume (the usual retry does exactly that). */
export const CLOSE_TOO_SLOW = 4008;
/**
 * This device opened more than MAX_SOCKETS_PER_DEVICE sockets and this was its oldest. Another tab or window of the
 * same device holds a newer one, so the phone must not reconnect by itself (it would close that one in turn).
 */
export const CLOSE_TOO_MANY_SOCKETS = 4009;
/** Open phone sockets one device may hold (tabs, windows, a reconnect racing a half-open old socket). */
export const MAX_SOCKETS_PER_DEVICE = 4;

export type UpstreamStatus = 'idle' | 'connecting' | 'live' | 'backoff' | 'unauthorized';

/** The relay's one WebSocket to ComfyUI, as the phones see it. Never includes the upstream address. */
export interface UpstreamState {
	status: UpstreamStatus;
	/** ms epoch of the last status change. */
	since: number;
	/** Failed attempts since the upstream was last live. */
	attempt: number;
	error?: string;
}

export type ResultStatus = 'succeeded' | 'failed' | 'interrupted';

/** How a prompt ended, as the relay saw it live or reconciled it from `/history/{id}` after a gap. */
export interface RelayResult {
	promptId: string;
	status: ResultStatus;
	outputs: Record<string, NodeOutput>;
	error?: { message: string; nodeId?: string; nodeType?: string; exceptionType?: string };
	endedAt: number;
	source: 'live' | 'history';
}

export interface RunningPrompt {
	promptId: string;
	nodeId: string | null;
	progress: { value: number; max: number; nodeId?: string } | null;
	cachedNodes: string[];
	startedAt: number;
}

/**
 * Who queued a prompt through the relay, and who stopped or cancelled it: sent as a `run` envelope when ComfyUI
 * accepted the prompt and again after a device stopped it, and listed in the snapshot. Device names are the ones
 * given at pairing. Prompts queued elsewhere (the ComfyUI desktop UI) have no RunInfo.
 */
export interface RunInfo {
	promptId: string;
	/** The device that queued it; absent for a prompt queued elsewhere (the ComfyUI desktop UI) that a device stopped. */
	deviceId?: string;
	/** The pairing name of that device. */
	device?: string;
	/** The workflow's name, as the phone sent it (`extra_data.comfy_pocket_title`). */
	title?: string;
	queuedAt?: number;
	stoppedBy?: { deviceId: string; device: string; at: number };
}

export interface RelaySnapshot {
	queueRemaining: number | null;
	/** Relays before shared runs leave it out. Oldest first: the active prompts and the most recent ended ones. */
	runs?: RunInfo[];
	running: RunningPrompt | null;
	/** The last preview frame of the running prompt, base64 of the exact bytes ComfyUI sent. */
	lastPreview: { seq: number; frame: string } | null;
	/** Newest last. */
	recentResults: RelayResult[];
	upstream: UpstreamState;
}

export type ServerEnvelope =
	/** First frame on every phone socket. A resumed socket then gets the logged envelopes after `since`. */
	| { t: 'hello'; seq: number; epoch: string; resumed: boolean; simulated: boolean; snapshot?: RelaySnapshot }
	/** A ComfyUI JSON message; `from: 'history'` marks messages the relay rebuilt after an upstream gap. */
	| { t: 'comfy'; seq: number; m: unknown; from?: 'history' }
	| { t: 'upstream'; seq: number; state: UpstreamState }
	/** Who queued or stopped a prompt (phones from before shared runs ignore unknown envelopes). */
	| { t: 'run'; seq: number; run: RunInfo };

/** `n` previews received since the previous ack; `seq` is the phone's count, for diagnostics. */
export type PhoneMessage = { t: 'ack'; seq: number; n: number };

export interface PairResponse {
	deviceId: string;
	token: string;
}

export interface PairingCode {
	code: string;
	expiresAt: number;
}

export interface DeviceInfo {
	deviceId: string;
	name: string;
	createdAt: number;
	lastSeenAt: number | null;
}

export interface RelayInfo {
	simulated: boolean;
	upstream: UpstreamState;
}

export interface TicketResponse {
	ticket: string;
	expiresAt: number;
}

/**
 * Several rigs behind one relay (docs/relay.md "Several rigs"): each configured rig has its own paths under
 * `/relay/rig/<name>/` that mirror the default rig's (`info`, `ticket`, `ws`, `api/…`, `push/…`). The default rig (the
 * relay's `COMFY_URL`) keeps the plain `/relay/…` paths and is listed under the reserved name `default`.
 */
export const RIG_NAME = /^[a-z0-9-]{1,32}$/;
export const DEFAULT_RIG = 'default';
export const RIGS_PATH = '/relay/rigs';

/** Where a rig's relay paths start: `/relay` for the default rig, `/relay/rig/<name>` for another. */
export function rigPrefix(rig?: string): string {
	return rig === undefined || rig === DEFAULT_RIG ? RELAY_PREFIX : `${RELAY_PREFIX}/rig/${encodeURIComponent(rig)}`;
}

/** One rig as `GET /relay/rigs` lists it: its name and its upstream socket's state, never its address. */
export interface RigInfo {
	name: string;
	/** The relay's COMFY_URL rig, reached through the plain `/relay/…` paths. */
	default: boolean;
	upstream: UpstreamState;
}

export interface RigsResponse {
	rigs: RigInfo[];
}

/** The comfy envelope is built by concatenation so ComfyUI's text is forwarded without a re-encode. */
export function comfyEnvelopeText(seq: number, messageJson: string, from?: 'history'): string {
	return `{"t":"comfy","seq":${seq}${from ? `,"from":"${from}"` : ''},"m":${messageJson}}`;
}

function isObject(v: unknown): v is Record<string, unknown> {
	return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Validates a decoded server envelope; null for anything else (ignored by the phone). */
export function toServerEnvelope(value: unknown): ServerEnvelope | null {
	if (!isObject(value) || typeof value.seq !== 'number' || !Number.isInteger(value.seq)) return null;
	switch (value.t) {
		case 'hello':
			return typeof value.epoch === 'string' && typeof value.resumed === 'boolean' ? (value as ServerEnvelope) : null;
		case 'comfy':
			return 'm' in value ? (value as ServerEnvelope) : null;
		case 'upstream':
			return isObject(value.state) && typeof value.state.status === 'string' ? (value as ServerEnvelope) : null;
		case 'run':
			return isRunInfo(value.run) ? (value as ServerEnvelope) : null;
		default:
			return null;
	}
}

export function isRunInfo(value: unknown): value is RunInfo {
	return isObject(value) && typeof value.promptId === 'string';
}

export function toPhoneMessage(text: string): PhoneMessage | null {
	try {
		const value: unknown = JSON.parse(text);
		if (isObject(value) && value.t === 'ack' && typeof value.seq === 'number' && Number.isInteger(value.n) && (value.n as number) > 0) {
			return { t: 'ack', seq: value.seq, n: value.n as number };
		}
	} catch {
		return null;
	}
	return null;
}

/** The phone's side of preview backpressure: counts previews and sends the batched acks. */
export class AckBatcher {
	#unacked = 0;
	#timer: ReturnType<typeof setTimeout> | null = null;

	constructor(private readonly send: (text: string) => void) {}

	received(seq: number): void {
		this.#unacked++;
		if (this.#unacked >= ACK_EVERY) this.#flush(seq);
		else this.#timer ??= setTimeout(() => this.#flush(seq + this.#unacked - 1), ACK_DELAY_MS);
	}

	stop(): void {
		if (this.#timer !== null) clearTimeout(this.#timer);
		this.#timer = null;
		this.#unacked = 0;
	}

	#flush(seq: number): void {
		const n = this.#unacked;
		this.stop();
		if (n > 0) this.send(`{"t":"ack","seq":${seq},"n":${n}}`);
	}
}

export function bytesToBase64(bytes: Uint8Array): string {
	let binary = '';
	const chunk = 0x8000;
	for (let i = 0; i < bytes.length; i += chunk) binary += String.fromCharCode(...bytes.subarray(i, i + chunk));
	return btoa(binary);
}

export function base64ToBytes(text: string): Uint8Array {
	const binary = atob(text);
	const out = new Uint8Array(binary.length);
	for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
	return out;
}
