// Records kept on the device. Everything the user made or received lives here, so the app works offline.
import type { ApiPrompt, ExtraData, NodeErrors, OutputFile, PromptErrorBody } from '$lib/comfy/types';
import type { Curation, UiWorkflow } from '$lib/workflow/types';

export interface WorkflowSource {
	workflow?: UiWorkflow;
	prompt?: ApiPrompt;
	fileName?: string;
}

export interface WorkflowRecord {
	id: string;
	name: string;
	createdAt: number;
	updatedAt: number;
	source: WorkflowSource;
	curation?: Curation;
	lastValues?: Record<string, unknown>;
	/** Small picture of the last result, shown in the Library. */
	thumbnail?: Blob;
	serverId?: string;
}

export type ResultFileKind = 'image' | 'video' | 'audio' | 'text';

export interface ResultFile {
	kind: ResultFileKind;
	mime: string;
	blob: Blob;
	thumb?: Blob;
	filename: string;
	nodeId: string;
	width?: number;
	height?: number;
	/**
	 * Set while `blob` is not the full file yet (a result of another device's run, or a server result, stored with
	 * only its small preview): where the full file is on the server, fetched when the result is opened.
	 */
	remote?: OutputFile;
}

/** A result that another device (or the ComfyUI desktop UI) made on the same server. */
export interface SharedOrigin {
	/** The pairing name of the device that queued it, when the relay knows it. */
	device?: string;
	/** The workflow's name as the other device sent it. */
	title?: string;
	/** The UI workflow the prompt carried, so "reuse these settings" can import it. */
	workflow?: unknown;
}

export interface ResultRecord {
	id: string;
	workflowId: string;
	promptId: string;
	createdAt: number;
	serverId: string;
	params: { values: Record<string, unknown>; prompt: ApiPrompt };
	files: ResultFile[];
	/** Present when this result was made elsewhere; its `workflowId` is then SHARED_WORKFLOW_ID. */
	shared?: SharedOrigin;
}

/** A way in to one ComfyUI: direct (LAN, Tailscale) or through a paired relay. */
export type ServerKind = 'lan' | 'relay';

/** What a stored server is: one ComfyUI (by its primary way in) or a pool of several (issue 11). */
export type ServerRecordKind = ServerKind | 'pool';

/** The rigs of a pool: ids of other stored servers (never pools), in the user's order, and the paused ones. */
export interface PoolMembers {
	members: string[];
	paused: string[];
}

export interface ServerRecord {
	id: string;
	kind: ServerRecordKind;
	name: string;
	/** Empty for a pool (its rigs have their own). */
	baseUrl: string;
	deviceId?: string;
	token?: string;
	/** For a relay server: which of the relay's rigs (`/relay/rig/<rig>/…`); absent for its default rig. */
	rig?: string;
	createdAt: number;
	/** Other ways in to the same ComfyUI (its relay, a Tailscale name…); the fields above stay the primary one. */
	routes?: ServerRoute[];
	/** Present on kind 'pool' only (storage/pools.ts). */
	pool?: PoolMembers;
}

/**
 * One way in to a server: a direct address (LAN, Tailscale) or a paired relay. The app picks the fastest that
 * answers (src/lib/app/paths/). Relay routes carry their pairing credentials.
 */
export interface ServerRoute {
	kind: ServerKind;
	baseUrl: string;
	deviceId?: string;
	token?: string;
	/** A relay route to one of the relay's rigs; absent for its default rig. */
	rig?: string;
	/** What the user sees for this way in ("home Wi-Fi", "Tailscale"); derived from the address when absent. */
	label?: string;
}

export interface SettingRecord {
	key: string;
	value: unknown;
}

/** Where a run waiting in the outbox stands (app/outbox/machine.ts moves it on). */
export type OutboxStatus = 'queued' | 'sending' | 'uncertain' | 'sent' | 'failed' | 'cancelled';

/** A picture chosen while the server was away: uploaded when the run is sent, then put where `value` stands. */
export interface OutboxUpload {
	/** The placeholder the prompt holds for it (the file's name) until the server names the upload. */
	value: string;
	fileName: string;
	blob: Blob;
}

/** Why a send failed, as plain data (IndexedDB keeps no classes): enough to show it on the form's fields again. */
export interface OutboxError {
	kind: string;
	message: string;
	status?: number;
	error?: PromptErrorBody;
	nodeErrors?: NodeErrors;
}

/** A run made while the server did not answer, kept with everything needed to send it exactly once later. */
export interface OutboxRecord {
	/** Made when the run was queued and never changed: the server is asked about it before any re-send. */
	promptId: string;
	serverId: string;
	workflowId: string;
	label: string;
	createdAt: number;
	updatedAt: number;
	prompt: ApiPrompt;
	extraData?: ExtraData;
	values: Record<string, unknown>;
	uploads: OutboxUpload[];
	status: OutboxStatus;
	attempts: number;
	cancelRequested: boolean;
	/** When an attempt ended without knowing whether the server took it; null otherwise. */
	uncertainSince: number | null;
	/** The refusal of a failed entry, or the last transient problem of a waiting one. */
	error: OutboxError | null;
}
