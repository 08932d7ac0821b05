// Shapes of the ComfyUI HTTP API (0.3.64), as the real server sends them. See ARCHITECTURE.md.
// Pure types: imported by the app, the workflow engine, the relay and the emulator.

/** A link in an API prompt: [source node id, output index]. */
export type ApiLink = [string, number];

/** An input value in an API prompt: a constant, a link, or an array constant wrapped as `{__value__: [...]}`. */
export type ApiInputValue = string | number | boolean | null | ApiLink | { __value__: unknown[] };

export interface ApiNode {
	class_type: string;
	inputs: Record<string, ApiInputValue>;
	_meta?: { title?: string };
}

/** API ("prompt") format: node id → node. Ids may be paths (`"12:3"`) for subgraph or group-node inner nodes. */
export type ApiPrompt = Record<string, ApiNode>;

// ---- /object_info ----------------------------------------------------------------------------------------------

/** Options object of an input spec (INT/FLOAT/STRING/BOOLEAN/COMBO…). All optional; unknown keys kept. */
export interface InputOptions {
	default?: unknown;
	min?: number;
	max?: number;
	step?: number;
	round?: number | false;
	display?: string;
	multiline?: boolean;
	dynamicPrompts?: boolean;
	placeholder?: string;
	label_on?: string;
	label_off?: string;
	control_after_generate?: boolean | string;
	forceInput?: boolean;
	defaultInput?: boolean;
	image_upload?: boolean;
	image_folder?: string;
	options?: unknown[];
	multiselect?: boolean;
	tooltip?: string;
	lazy?: boolean;
	rawLink?: boolean;
	socketless?: boolean;
	widgetType?: string;
	display_name?: string;
	[key: string]: unknown;
}

/**
 * `[TYPE]` or `[TYPE, options]`; TYPE is a string (`"INT"`, `"MODEL"`, `"COMBO"`…) or, for a legacy combo,
 * the list of options itself.
 */
export type InputSpec = [string | unknown[]] | [string | unknown[], InputOptions];

export interface NodeDef {
	input: {
		required?: Record<string, InputSpec>;
		optional?: Record<string, InputSpec>;
		hidden?: Record<string, unknown>;
	};
	input_order?: { required?: string[]; optional?: string[]; hidden?: string[] };
	output: (string | unknown[])[];
	output_is_list?: boolean[];
	output_name?: string[];
	output_tooltips?: string[];
	name: string;
	display_name?: string;
	description?: string;
	python_module?: string;
	category?: string;
	output_node?: boolean;
	deprecated?: boolean | null;
	experimental?: boolean | null;
	api_node?: boolean;
}

export type ObjectInfo = Record<string, NodeDef>;

// ---- outputs, history, queue -------------------------------------------------------------------------------------

export type FileType = 'output' | 'input' | 'temp';

/** A file reference in an `executed` output or a history entry. */
export interface OutputFile {
	filename: string;
	subfolder: string;
	type: FileType | string;
	format?: string;
	frame_rate?: number;
	[key: string]: unknown;
}

/** What an output node produced: `images`, `gifs`, `audio`, `video`, `text`, `animated`… (lists). */
export interface NodeOutput {
	images?: OutputFile[];
	gifs?: OutputFile[];
	video?: OutputFile[];
	audio?: OutputFile[];
	text?: string[];
	animated?: boolean[];
	[key: string]: unknown;
}

export interface PromptErrorBody {
	type: string;
	message: string;
	details: string;
	extra_info: Record<string, unknown>;
}

export interface NodeError {
	errors: PromptErrorBody[];
	dependent_outputs: string[];
	class_type: string;
}

export type NodeErrors = Record<string, NodeError>;

/** 200 from POST /prompt. `node_errors` may be non-empty: some outputs were dropped. */
export interface QueuePromptResponse {
	prompt_id: string;
	number: number;
	node_errors: NodeErrors;
}

/** 400 from POST /prompt. */
export interface PromptRejection {
	error: PromptErrorBody;
	node_errors: NodeErrors;
}

export interface ExtraData {
	client_id?: string;
	extra_pnginfo?: Record<string, unknown>;
	[key: string]: unknown;
}

/** `[number, prompt_id, prompt, extra_data, outputs_to_execute]` */
export type QueueItem = [number, string, ApiPrompt, ExtraData, string[]];

export interface QueueState {
	queue_running: QueueItem[];
	queue_pending: QueueItem[];
}

export type HistoryMessage = [string, Record<string, unknown>];

export interface HistoryEntry {
	prompt: QueueItem;
	outputs: Record<string, NodeOutput>;
	status: { status_str: 'success' | 'error' | string; completed: boolean; messages: HistoryMessage[] };
	meta?: Record<string, { node_id: string; display_node: string; parent_node: string | null; real_node_id: string }>;
}

export type History = Record<string, HistoryEntry>;

export interface SystemStats {
	system: {
		os: string;
		ram_total: number;
		ram_free: number;
		comfyui_version: string;
		python_version: string;
		pytorch_version: string;
		embedded_python: boolean;
		argv: string[];
		required_frontend_version?: string;
		[key: string]: unknown;
	};
	devices: {
		name: string;
		type: string;
		index: number | null;
		vram_total: number;
		vram_free: number;
		torch_vram_total: number;
		torch_vram_free: number;
	}[];
}

export interface ServerFeatures {
	supports_preview_metadata?: boolean;
	max_upload_size?: number;
	[key: string]: unknown;
}

/** The asset record a server with the assets system on (`features.assets`) adds to an upload's answer. */
export interface UploadedAsset {
	id: string;
	name: string;
	/** `blake3:<hex>`: LoadImage combos on such servers may list these instead of file names. */
	asset_hash: string | null;
	size?: number;
	mime_type?: string | null;
	tags?: string[];
}

/** 200 from POST /upload/image. */
export interface UploadResult {
	name: string;
	subfolder: string;
	type: FileType | string;
	/** Only where the server's assets system is on. */
	asset?: UploadedAsset;
}

/** An entry of `/userdata?dir=workflows&full_info=true`. */
export interface UserDataFile {
	path: string;
	size: number;
	modified: number;
	created?: number;
}
