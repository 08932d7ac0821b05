// Public contract of the workflow engine (src/lib/workflow/). Pure types: the app, storage and CLI code against these.
// Every entry point returns a result value; nothing throws past this boundary.
import type { ApiPrompt, NodeErrors, ObjectInfo } from '../comfy/types';

export type { ApiPrompt, NodeErrors, ObjectInfo };

// ---- UI (graph) workflow, as saved by the official frontend ------------------------------------------------------

export interface UiNodeInput {
	name: string;
	type: string | string[] | number;
	link: number | null;
	widget?: { name: string };
	label?: string;
	localized_name?: string;
	[key: string]: unknown;
}

export interface UiNodeOutput {
	name: string;
	type: string | string[] | number;
	links?: number[] | null;
	slot_index?: number;
	widget?: { name: string };
	[key: string]: unknown;
}

export interface UiNode {
	id: number | string;
	type: string;
	mode?: number;
	title?: string;
	inputs?: UiNodeInput[];
	outputs?: UiNodeOutput[];
	widgets_values?: unknown[] | Record<string, unknown>;
	properties?: Record<string, unknown>;
	pos?: unknown;
	size?: unknown;
	[key: string]: unknown;
}

/** Schema 0.4 link row: [id, origin_id, origin_slot, target_id, target_slot, type]. */
export type UiLinkArray = [number, number | string, number, number | string, number, unknown];

/** Schema 1 link object. */
export interface UiLinkObject {
	id: number;
	origin_id: number | string;
	origin_slot: number;
	target_id: number | string;
	target_slot: number;
	type?: unknown;
	parentId?: number;
	[key: string]: unknown;
}

export type UiLink = UiLinkArray | UiLinkObject;

export interface UiGroup {
	id?: number;
	title: string;
	bounding: number[];
	[key: string]: unknown;
}

export interface SubgraphDefinition {
	id: string;
	name?: string;
	nodes: UiNode[];
	links: UiLink[];
	inputs?: { id?: string; name: string; type?: unknown; linkIds?: number[]; [key: string]: unknown }[];
	outputs?: { id?: string; name: string; type?: unknown; linkIds?: number[]; [key: string]: unknown }[];
	widgets?: { id: number | string; name: string }[];
	definitions?: { subgraphs?: SubgraphDefinition[] };
	[key: string]: unknown;
}

/** Legacy group node definition (extra.groupNodes[Name]). */
export interface GroupNodeDefinition {
	nodes: (UiNode & { index?: number })[];
	/** [srcIndex|null, srcSlot, dstIndex, dstSlot, oldLinkId, type] */
	links: [number | null, number, number, number, unknown, unknown][];
	external?: [number, number, unknown][];
	config?: Record<string, unknown>;
	[key: string]: unknown;
}

export interface UiWorkflow {
	version?: number;
	nodes: UiNode[];
	links: UiLink[];
	groups?: UiGroup[];
	extra?: { groupNodes?: Record<string, GroupNodeDefinition>; [key: string]: unknown };
	definitions?: { subgraphs?: SubgraphDefinition[] };
	[key: string]: unknown;
}

// ---- import --------------------------------------------------------------------------------------------------------

export type ImportSource = 'api-json' | 'ui-json' | 'png' | 'webp' | 'flac' | 'mp4' | 'webm';

export type ImportResult =
	| { ok: true; source: ImportSource; workflow?: UiWorkflow; prompt?: ApiPrompt; warnings: string[] }
	| { ok: false; error: string; reason?: ImportFailure };

/**
 * Why a file could not be imported, for the common cases, so the app can say it in the user's language; `error`
 * stays the whole English text. `detail` is the parser's or the file's own words (English, as ComfyUI's are).
 * Absent for a workflow whose shape is wrong somewhere inside: then `error` says where.
 */
export type ImportFailure =
	| { code: 'empty' }
	| { code: 'too-large'; sizeMb: string; limitMb: string }
	| { code: 'not-a-workflow-file' }
	| { code: 'invalid-json'; detail: string }
	| { code: 'json-not-a-workflow' }
	| { code: 'no-embedded-workflow'; format: 'PNG' | 'WebP' | 'FLAC' | 'MP4' | 'WebM'; detail?: string };

// ---- conversion ----------------------------------------------------------------------------------------------------

/**
 * What an issue is about, for code that acts on it (the form flags fields, the CLI refuses):
 * - `schema-changed` (message starts "this node changed since the workflow was saved"): the node's saved values do not fit today's definition and no single realignment explains
 *   them; `inputNames` are the inputs whose value is uncertain. The prompt holds the values by position (what the
 *   frontend would send) and must not be sent before the user has checked those fields.
 * - `realigned`: the saved values fit today's definition in exactly one way other than by position (an input was
 *   added or removed since the save); they were moved there. `inputNames` are the inputs that got their default.
 * - `defaulted`: inputs the file has no value for got the server's default (`inputNames`).
 * - `extra-values`: the node stores more values than today's definition takes; the extras were ignored.
 * - `missing-class`: the server lacks the node class.
 */
export type ConvertIssueKind = 'schema-changed' | 'realigned' | 'defaulted' | 'extra-values' | 'missing-class';

export interface ConvertIssue {
	severity: 'error' | 'warning';
	/** Prompt node id (path id such as `5:3` inside subgraphs). */
	nodeId: string;
	nodeTitle: string;
	message: string;
	kind?: ConvertIssueKind;
	/** Prompt input names concerned (dotted for V3 sub-inputs); field ids are `${nodeId}.${inputName}`. */
	inputNames?: string[];
	/** For `schema-changed` / `realigned`: the node's widgets_values as saved, so nothing the user set is lost. */
	saved?: unknown[];
}

export type ConvertResult =
	| { ok: true; prompt: ApiPrompt; issues: ConvertIssue[] }
	| { ok: false; error: string; issues: ConvertIssue[] };

// ---- form ----------------------------------------------------------------------------------------------------------

/**
 * `multiselect`: a V3 COMBO with `multiselect` (value: list of options). `entries`: an autogrow list (value: the
 * ordinals of the entries set here, see Field.entries). `raw`: a widget this app cannot edit (the curve editor's
 * `curve`, a type it does not know): shown read-only and sent exactly as the workflow has it.
 */
export type FieldKind =
	| 'text'
	| 'multiline'
	| 'int'
	| 'float'
	| 'boolean'
	| 'combo'
	| 'seed'
	| 'image'
	| 'model'
	| 'lora'
	| 'multiselect'
	| 'entries'
	| 'raw';
export type SeedControl = 'fixed' | 'increment' | 'decrement' | 'randomize';
export type PromptRole = 'positive' | 'negative';

export interface Field {
	/** `${nodeId}.${input}` */
	id: string;
	nodeId: string;
	input: string;
	kind: FieldKind;
	label: string;
	nodeTitle: string;
	/** Id of the group in FormModel.groups this field belongs to. */
	group: string;
	role?: PromptRole;
	default: unknown;
	min?: number;
	max?: number;
	step?: number;
	round?: number;
	slider?: boolean;
	options?: string[];
	/** For model/lora pickers: the models folder (checkpoints, loras, vae…), for /models/{folder}. */
	modelFolder?: string;
	seedControl?: SeedControl;
	/** Whether the STRING input takes dynamic prompts ({a|b}, comments). */
	dynamicPrompts?: boolean;
	advanced: boolean;
	tooltip?: string;
	/** A V3 dynamic combo: the fields whose `parent.id` is this field are its options' sub-inputs. */
	dynamic?: boolean;
	/** A dynamic combo's sub-input: shown and sent only while field `id` is set to `option` (and is itself active). */
	parent?: { id: string; option: string };
	/** An autogrow list ('entries'): each ordinal's name, the ordinals linked in the graph, and the bounds. */
	entries?: { names: string[]; linked: number[]; min: number; max: number };
	/** One input of an autogrow entry: active while the list field `list` holds `ordinal`. */
	entry?: { list: string; ordinal: number };
	/** Set when the node changed since the workflow was saved: the value may not be what its author meant. */
	changed?: string;
}

/** App Mode of the workflow (extra.linearData), as resolved against this form. */
export interface AppModeInfo {
	/** Field ids the author chose, in their order. */
	inputs: string[];
	/** Prompt node ids whose results come first in the gallery. */
	outputs: string[];
	/** Entries that could not be used, as sentences for the user. */
	notes: string[];
}

export interface FormGroup {
	id: string;
	title: string;
}

export interface FormModel {
	fields: Field[];
	groups: FormGroup[];
	/**
	 * Ids (`${nodeId}.${input}`) of every text input taking dynamic prompts, fields or not: applyForm resolves
	 * them all, so text the user hid by curation is still processed as the frontend would.
	 */
	dynamicPrompts?: string[];
	/** Present when the workflow opens in App Mode: exactly these inputs are shown. */
	appMode?: AppModeInfo;
}

/** User curation of a form, stored separately from the workflow. Keys are field ids. */
export interface Curation {
	order?: string[];
	hidden?: string[];
	/** Fields moved out of "advanced" to the front. */
	shown?: string[];
	labels?: Record<string, string>;
	/** Field id → group id (an existing group or one in `groupTitles`). */
	groups?: Record<string, string>;
	groupTitles?: Record<string, string>;
}

export interface BuildFormOptions {
	workflow?: UiWorkflow;
	/** The conversion's issues: fields of nodes that changed since the save (`schema-changed`, `realigned`) are flagged. */
	issues?: ConvertIssue[];
}

export interface ApplyOptions {
	random?: () => number;
}

export interface ApplyResult {
	prompt: ApiPrompt;
	/** Values as actually sent: dynamic prompts resolved, seeds as chosen. Field id → value. */
	resolved: Record<string, unknown>;
}

export interface MappedNodeErrors {
	byField: Record<string, string[]>;
	general: string[];
}

// ---- entry points (implemented in the modules named; re-exported by ./index.ts) -----------------------------------

export interface WorkflowEngine {
	/** import.ts */
	importWorkflowFile(bytes: Uint8Array, fileName?: string): Promise<ImportResult>;
	/** convert.ts */
	convertToApi(workflow: UiWorkflow, objectInfo: ObjectInfo): ConvertResult;
	/** form.ts */
	buildForm(prompt: ApiPrompt, objectInfo: ObjectInfo, opts?: BuildFormOptions): FormModel;
	/** curation.ts */
	applyCuration(model: FormModel, curation: Curation): FormModel;
	/** apply.ts */
	applyForm(prompt: ApiPrompt, model: FormModel, values: Record<string, unknown>, opts?: ApplyOptions): ApplyResult;
	/** validate.ts: field id → message, empty when all values are acceptable. */
	validateValues(model: FormModel, values: Record<string, unknown>): Record<string, string>;
	/** seeds.ts: the seed to use for the next run under the field's control mode. */
	nextSeed(field: Field, value: unknown, random?: () => number): number;
	/** node-errors.ts */
	mapNodeErrors(nodeErrors: NodeErrors, model: FormModel, values?: Record<string, unknown>): MappedNodeErrors;
	/** export.ts */
	exportApiJson(prompt: ApiPrompt): string;
	/**
	 * export.ts: the UI workflow with widgets_values updated from the (applied) prompt, for desktop ComfyUI.
	 * Pass objectInfo when at hand: widget positions then come from the definitions instead of the prompt's order.
	 */
	exportUiWorkflow(workflow: UiWorkflow, prompt: ApiPrompt, objectInfo?: ObjectInfo): UiWorkflow;
}
