// The only error type the protocol layer throws. Callers switch on `kind` instead of parsing messages.
import type { NodeErrors, PromptErrorBody } from './types';

export type ComfyErrorKind = 'http' | 'rejected' | 'network' | 'timeout' | 'aborted' | 'bad-response';

export interface ComfyErrorInit {
	status?: number;
	error?: PromptErrorBody;
	nodeErrors?: NodeErrors;
	cause?: unknown;
}

/**
 * - `http`: a non-2xx status without a structured body (most ComfyUI routes answer bare 400/403/404).
 * - `rejected`: `POST /prompt` refused the graph; `error` and `nodeErrors` hold the server's explanation.
 * - `network`: the request never got a response (server down, CORS, mixed content).
 * - `timeout` / `aborted`: our own timer or the caller's AbortSignal ended the request.
 * - `bad-response`: 2xx but the body is not what the protocol promises.
 */
export class ComfyError extends Error {
	readonly kind: ComfyErrorKind;
	readonly status?: number;
	readonly error?: PromptErrorBody;
	readonly nodeErrors?: NodeErrors;

	constructor(kind: ComfyErrorKind, message: string, init: ComfyErrorInit = {}) {
		super(message, init.cause === undefined ? undefined : { cause: init.cause });
		this.name = 'ComfyError';
		this.kind = kind;
		this.status = init.status;
		this.error = init.error;
		this.nodeErrors = init.nodeErrors;
	}
}

export function isComfyError(value: unknown): value is ComfyError {
	return value instanceof ComfyError;
}

/** Wraps anything thrown into a ComfyError so module boundaries only ever see one error type. */
export function toComfyError(value: unknown, fallbackKind: ComfyErrorKind = 'network'): ComfyError {
	if (value instanceof ComfyError) return value;
	const message = value instanceof Error ? value.message : String(value);
	return new ComfyError(fallbackKind, message, { cause: value });
}
