// Typed JSON messages of the ComfyUI WebSocket (server → client) and a parser that never throws.
// Unknown message types (custom nodes, Manager, Crystools…) and malformed known ones both parse to null.
import { parseJsonLenient } from './json';
import type { NodeOutput } from './types';

export interface StatusData {
	status: { exec_info: { queue_remaining: number } };
	/** Only in the handshake copy: the client id the server registered this socket under. */
	sid?: string;
}

export interface PromptEventData {
	prompt_id: string;
	timestamp?: number;
}

export interface ExecutionCachedData extends PromptEventData {
	nodes: string[];
}

/** `node: null` with a prompt_id = that prompt finished. Without prompt_id = the replay sent after a reconnect. */
export interface ExecutingData {
	node: string | null;
	display_node?: string;
	prompt_id?: string;
}

export interface ProgressData {
	value: number;
	max: number;
	prompt_id?: string;
	node?: string;
}

export interface ProgressNodeState {
	value: number;
	max: number;
	state: 'running' | 'finished' | string;
	node_id: string;
	prompt_id?: string;
	display_node_id?: string;
	parent_node_id?: string | null;
	real_node_id?: string;
}

export interface ProgressStateData {
	prompt_id: string;
	nodes: Record<string, ProgressNodeState>;
}

export interface ExecutedData {
	node: string;
	display_node?: string;
	/** May be null for a cached output node. */
	output: NodeOutput | null;
	prompt_id: string;
}

export interface ExecutionErrorData extends PromptEventData {
	node_id: string;
	node_type: string;
	executed?: string[];
	exception_message: string;
	exception_type: string;
	traceback: string[];
	current_inputs?: Record<string, unknown>;
	current_outputs?: unknown;
}

/** 0.3.64 always names the node; older servers may not, so the fields are optional. */
export interface ExecutionInterruptedData extends PromptEventData {
	node_id?: string;
	node_type?: string;
	executed?: string[];
}

export type FeatureFlags = Record<string, unknown>;

export type ComfyMessage =
	| { type: 'status'; data: StatusData }
	| { type: 'execution_start'; data: PromptEventData }
	| { type: 'execution_cached'; data: ExecutionCachedData }
	| { type: 'executing'; data: ExecutingData }
	| { type: 'progress'; data: ProgressData }
	| { type: 'progress_state'; data: ProgressStateData }
	| { type: 'executed'; data: ExecutedData }
	| { type: 'execution_success'; data: PromptEventData }
	| { type: 'execution_error'; data: ExecutionErrorData }
	| { type: 'execution_interrupted'; data: ExecutionInterruptedData }
	| { type: 'feature_flags'; data: FeatureFlags };

export type ComfyMessageType = ComfyMessage['type'];

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStr = (v: unknown): v is string => typeof v === 'string';
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const optStr = (v: unknown): boolean => v === undefined || isStr(v);
const strList = (v: unknown): v is string[] => Array.isArray(v) && v.every(isStr);

function hasPromptId(d: Obj): boolean {
	return isStr(d.prompt_id) && (d.timestamp === undefined || isNum(d.timestamp));
}

/** Per type: does `data` have the fields we rely on? Extra fields are kept untouched. */
const validators: Record<ComfyMessageType, (d: Obj) => boolean> = {
	status: (d) => isObj(d.status) && isObj(d.status.exec_info) && isNum(d.status.exec_info.queue_remaining) && optStr(d.sid),
	execution_start: hasPromptId,
	execution_cached: (d) => hasPromptId(d) && strList(d.nodes),
	executing: (d) => (d.node === null || isStr(d.node)) && optStr(d.display_node) && optStr(d.prompt_id),
	progress: (d) => isNum(d.value) && isNum(d.max) && optStr(d.prompt_id) && optStr(d.node),
	progress_state: (d) => isStr(d.prompt_id) && isObj(d.nodes) && Object.values(d.nodes).every(isProgressNode),
	executed: (d) => isStr(d.node) && isStr(d.prompt_id) && (d.output === null || isObj(d.output)) && optStr(d.display_node),
	execution_success: hasPromptId,
	execution_error: (d) => hasPromptId(d) && isStr(d.node_id) && isStr(d.node_type) && isStr(d.exception_message),
	execution_interrupted: (d) => hasPromptId(d) && optStr(d.node_id) && optStr(d.node_type),
	feature_flags: () => true
};

function isProgressNode(v: unknown): boolean {
	return isObj(v) && isNum(v.value) && isNum(v.max) && isStr(v.state) && isStr(v.node_id);
}

/** Validates an already-decoded JSON value (the relay forwards parsed objects). */
export function toMessage(value: unknown): ComfyMessage | null {
	if (!isObj(value) || !isStr(value.type) || !isObj(value.data)) return null;
	if (!Object.hasOwn(validators, value.type)) return null;
	const type = value.type as ComfyMessageType;
	if (!validators[type](value.data)) return null;
	if (type === 'execution_error') normaliseErrorData(value.data);
	return { type, data: value.data } as ComfyMessage;
}

export function parseMessage(text: string): ComfyMessage | null {
	let value: unknown;
	try {
		value = parseJsonLenient(text);
	} catch {
		return null;
	}
	return toMessage(value);
}

// The traceback and exception type are shown to the user; default them so the UI never checks for undefined.
function normaliseErrorData(d: Obj): void {
	if (!strList(d.traceback)) d.traceback = [];
	if (!isStr(d.exception_type)) d.exception_type = '';
}
