// Records kept on the device. Everything the user made or received lives here, so the app works offline.
import type { ApiPrompt } from '$lib/comfy/types';
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
}

export interface ResultRecord {
	id: string;
	workflowId: string;
	promptId: string;
	createdAt: number;
	serverId: string;
	params: { values: Record<string, unknown>; prompt: ApiPrompt };
	files: ResultFile[];
}

export type ServerKind = 'lan' | 'relay';

export interface ServerRecord {
	id: string;
	kind: ServerKind;
	name: string;
	baseUrl: string;
	deviceId?: string;
	token?: string;
	createdAt: number;
}

export interface SettingRecord {
	key: string;
	value: unknown;
}
