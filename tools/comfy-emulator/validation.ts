// POST /prompt validation as execution.validate_prompt/validate_inputs of ComfyUI 0.3.64 do it: the same checks
// in the same order, the same error types, messages and quirks (coercion with Python's int()/float()/str()/bool(),
// combo lists only for legacy list specs, `dependent_outputs` accumulated across outputs), so the 400 bodies match.
import type { ApiPrompt, InputSpec, NodeDef, NodeErrors, PromptErrorBody } from '../../src/lib/comfy/types';
import { emulatorTraceback, PyException, pyBool, pyFloat, pyInt, pyRepr, pyStr } from './py';
import { chosenOption, DYNAMIC_COMBO, MATCH_TYPE, matchTypes } from './v3-inputs';

export interface ValidationContext {
	def(classType: string): NodeDef | undefined;
	/** Whether a LoadImage-style value names an existing input file (the node's VALIDATE_INPUTS). */
	imageExists(value: string): boolean;
	/** A 2026 server: missing_node_type and V3 dynamic combos / match types. */
	modern?: boolean;
}

export type ValidationResult =
	| { ok: true; outputs: string[]; nodeErrors: NodeErrors; prompt: ApiPrompt }
	| { ok: false; error: PromptErrorBody; nodeErrors: NodeErrors };

type Verdict = [valid: boolean, errors: PromptErrorBody[]];

/** Classes with a VALIDATE_INPUTS(image) that replaces the combo check with a file-exists check. */
const IMAGE_FILE_VALIDATORS = new Set(['LoadImage', 'LoadImageMask']);

function failure(type: string, message: string, details = '', extraInfo: Record<string, unknown> = {}): PromptErrorBody {
	return { type, message, details, extra_info: extraInfo };
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function specOf(def: NodeDef, name: string): { spec: InputSpec; required: boolean } | null {
	const required = def.input.required?.[name];
	if (required) return { spec: required, required: true };
	const optional = def.input.optional?.[name];
	return optional ? { spec: optional, required: false } : null;
}

/** Python's `validate_node_input`: equal types, `*` on either side, or intersecting comma-separated lists. */
function typesMatch(received: unknown, expected: unknown): boolean {
	if (received === '*' || expected === '*') return true;
	if (JSON.stringify(received) === JSON.stringify(expected)) return true;
	if (Array.isArray(received) && (Array.isArray(expected) || expected === 'COMBO')) return true;
	if (typeof received !== 'string' || typeof expected !== 'string') return false;
	const wanted = new Set(expected.split(',').map((t) => t.trim()));
	return received.split(',').some((t) => wanted.has(t.trim()));
}

function coerce(type: unknown, value: unknown): unknown {
	if (type === 'INT') return pyInt(value);
	if (type === 'FLOAT') return pyFloat(value);
	if (type === 'STRING') return pyStr(value);
	if (type === 'BOOLEAN') return pyBool(value);
	return value;
}

class Validator {
	readonly validated = new Map<string, Verdict>();

	constructor(
		private readonly prompt: ApiPrompt,
		private readonly ctx: ValidationContext
	) {}

	node(id: string): Verdict {
		const known = this.validated.get(id);
		if (known) return known;
		const node = this.prompt[id];
		if (!isRecord(node.inputs)) throw new PyException('KeyError', "'inputs'");
		const inputs = node.inputs as Record<string, unknown>;
		const def = this.ctx.def(node.class_type)!;
		const errors: PromptErrorBody[] = [];
		const valid = this.#inputs(node.class_type, inputs, def.input, '', errors);
		if (IMAGE_FILE_VALIDATORS.has(node.class_type) && typeof inputs.image === 'string') {
			if (!this.ctx.imageExists(inputs.image)) {
				const spec = specOf(def, 'image')!.spec;
				errors.push(
					failure('custom_validation_failed', 'Custom validation failed for node', `image - Invalid image file: ${inputs.image}`, {
						input_name: 'image',
						input_config: [spec[0], spec[1] ?? {}],
						received_value: inputs.image
					})
				);
			}
		}
		const verdict: Verdict = errors.length > 0 || !valid ? [false, errors] : [true, []];
		this.validated.set(id, verdict);
		return verdict;
	}

	/** The inputs of one level (a node, or a dynamic combo's chosen option under `prefix`); false when an upstream
	 *  node is invalid. A dotted sub-input missing reports its bare name in details and the dotted one as input_name. */
	#inputs(classType: string, inputs: Record<string, unknown>, groups: NodeDef['input'], prefix: string, errors: PromptErrorBody[]): boolean {
		let valid = true;
		const entries = [...Object.entries(groups.required ?? {}).map((e) => [...e, true] as const), ...Object.entries(groups.optional ?? {}).map((e) => [...e, false] as const)];
		for (const [short, spec, required] of entries) {
			const name = prefix + short;
			let [type, options = {}] = spec;
			const config = [type, options];
			if (!Object.hasOwn(inputs, name)) {
				if (required) errors.push(failure('required_input_missing', 'Required input is missing', short, { input_name: name }));
				continue;
			}
			const value = inputs[name];
			if (this.ctx.modern && type === DYNAMIC_COMBO) {
				// An unknown key or a nested object passes here and fails at run time (missingComboArgument).
				const option = chosenOption(spec, value);
				if (option && !this.#inputs(classType, inputs, option.inputs, `${name}.`, errors)) valid = false;
				continue;
			}
			if (this.ctx.modern) type = matchTypes(spec) ?? type;
			if (Array.isArray(value)) {
				if (!this.#link(name, value, type, config, errors)) valid = false;
				continue;
			}
			const checked = this.#constant(classType, name, value, type, options, config, errors);
			if (checked.ok) inputs[name] = checked.value as never;
		}
		return valid;
	}

	/** A linked input; false when the upstream node is invalid (its errors are reported on it, not here). */
	#link(name: string, link: unknown[], type: unknown, config: unknown[], errors: PromptErrorBody[]): boolean {
		if (link.length !== 2) {
			errors.push(
				failure('bad_linked_input', 'Bad linked input, must be a length-2 list of [node_id, slot_index]', name, {
					input_name: name,
					input_config: config,
					received_value: link
				})
			);
			return true;
		}
		const [sourceId, slot] = link;
		const source = typeof sourceId === 'string' && Object.hasOwn(this.prompt, sourceId) ? this.prompt[sourceId] : undefined;
		if (!source) throw new PyException('KeyError', pyRepr(sourceId));
		const outputs = this.ctx.def(source.class_type)!.output;
		if (typeof slot !== 'number' || !Number.isInteger(slot)) {
			throw new PyException('TypeError', `tuple indices must be integers or slices, not ${typeof slot === 'number' ? 'float' : 'str'}`);
		}
		const received = outputs.at(slot);
		if (received === undefined) throw new PyException('IndexError', 'tuple index out of range');
		// A match-type output takes its type from its inputs at run time; the server's link check lets it through.
		const matched = this.ctx.modern && received === MATCH_TYPE;
		if (!matched && !typesMatch(received, type)) {
			errors.push(
				failure('return_type_mismatch', 'Return type mismatch between linked nodes', `${name}, received_type(${pyStr(received)}) mismatch input_type(${pyStr(type)})`, {
					input_name: name,
					input_config: config,
					received_type: received,
					linked_node: link
				})
			);
			return true;
		}
		try {
			return this.node(sourceId as string)[0];
		} catch (e) {
			const ex = e instanceof PyException ? e : new PyException('Exception', String(e));
			this.validated.set(sourceId as string, [
				false,
				[
					failure('exception_during_inner_validation', 'Exception when validating inner node', ex.message, {
						input_name: name,
						input_config: config,
						exception_message: ex.message,
						exception_type: ex.type,
						traceback: emulatorTraceback('validation.ts'),
						linked_node: link
					})
				]
			]);
			return false;
		}
	}

	#constant(
		classType: string,
		name: string,
		raw: unknown,
		type: unknown,
		options: Record<string, unknown>,
		config: unknown[],
		errors: PromptErrorBody[]
	): { ok: boolean; value?: unknown } {
		let value = isRecord(raw) && Object.hasOwn(raw, '__value__') ? raw.__value__ : raw;
		try {
			value = coerce(type, value);
		} catch (e) {
			const message = e instanceof Error ? e.message : String(e);
			errors.push(
				failure('invalid_input_type', `Failed to convert an input value to a ${pyStr(type)} value`, `${name}, ${pyStr(value)}, ${message}`, {
					input_name: name,
					input_config: config,
					received_value: value,
					exception_message: message
				})
			);
			return { ok: false };
		}
		if (IMAGE_FILE_VALIDATORS.has(classType) && name === 'image') return { ok: true, value };
		const asFloat = type === 'FLOAT';
		const bounds = [
			['min', 'value_smaller_than_min', 'smaller than min', (v: number, b: number) => v < b],
			['max', 'value_bigger_than_max', 'bigger than max', (v: number, b: number) => v > b]
		] as const;
		for (const [key, errorType, words, outside] of bounds) {
			const bound = options[key];
			if (typeof bound !== 'number' || typeof value !== 'number' || !outside(value, bound)) continue;
			const message = `Value ${pyRepr(value, asFloat)} ${words} of ${pyRepr(bound, asFloat)}`;
			errors.push(failure(errorType, message, name, { input_name: name, input_config: config, received_value: value }));
			return { ok: false };
		}
		if (Array.isArray(type) && !type.some((option) => option === value)) {
			// The server does not echo gigantic lists (lots of scanned model files).
			const long = type.length > 20;
			errors.push(
				failure('value_not_in_list', 'Value not in list', `${name}: '${pyStr(value)}' not in ${long ? `(list of length ${type.length})` : pyRepr(type)}`, {
					input_name: name,
					input_config: long ? null : config,
					received_value: value
				})
			);
			return { ok: false };
		}
		return { ok: true, value };
	}
}

function rejection(type: string, message: string, details: string): ValidationResult {
	return { ok: false, error: failure(type, message, details), nodeErrors: {} };
}

/**
 * Validates a prompt. The prompt is copied; the copy carries the coerced values (`"5"` → 5, `__value__` unwrapped)
 * that the server stores in the queue and history. `partialTargets` limits the outputs, like
 * `partial_execution_targets`.
 */
export function validatePrompt(input: Record<string, unknown>, partialTargets: unknown, ctx: ValidationContext): ValidationResult {
	const prompt = structuredClone(input) as ApiPrompt;
	const outputs: string[] = [];
	for (const [id, node] of Object.entries(prompt)) {
		if (!isRecord(node) || !Object.hasOwn(node, 'class_type')) {
			return rejection('invalid_prompt', 'Cannot execute because a node is missing the class_type property.', `Node ID '#${id}'`);
		}
		const def = ctx.def(node.class_type);
		if (!def && ctx.modern) {
			const title = (node._meta as { title?: unknown } | undefined)?.title;
			const nodeTitle = typeof title === 'string' ? title : pyStr(node.class_type);
			return {
				ok: false,
				error: failure('missing_node_type', `Node '${nodeTitle}' not found. The custom node may not be installed.`, `Node ID '#${id}'`, {
					node_id: id,
					class_type: node.class_type,
					node_title: nodeTitle
				}),
				nodeErrors: {}
			};
		}
		if (!def) {
			return rejection('invalid_prompt', `Cannot execute because node ${pyStr(node.class_type)} does not exist.`, `Node ID '#${id}'`);
		}
		const targeted = !Array.isArray(partialTargets) || partialTargets.includes(id);
		if (def.output_node === true && targeted) outputs.push(id);
	}
	if (outputs.length === 0) return rejection('prompt_no_outputs', 'Prompt has no outputs', '');

	const validator = new Validator(prompt, ctx);
	const good: string[] = [];
	const failedReasons: PromptErrorBody[] = [];
	const nodeErrors: NodeErrors = {};
	for (const output of outputs) {
		let verdict: Verdict;
		try {
			verdict = validator.node(output);
		} catch (e) {
			const ex = e instanceof PyException ? e : new PyException('Exception', String(e));
			verdict = [
				false,
				[
					failure('exception_during_validation', 'Exception when validating node', ex.message, {
						exception_type: ex.type,
						traceback: emulatorTraceback('validation.ts')
					})
				]
			];
			validator.validated.set(output, verdict);
		}
		if (verdict[0]) {
			good.push(output);
			continue;
		}
		failedReasons.push(...verdict[1]);
		// Quirk kept from the server: every node with errors so far gets this output appended.
		for (const [id, [valid, reasons]] of validator.validated) {
			if (valid || reasons.length === 0) continue;
			nodeErrors[id] ??= { errors: reasons, dependent_outputs: [], class_type: prompt[id].class_type };
			nodeErrors[id].dependent_outputs.push(output);
		}
	}
	if (good.length === 0) {
		const details = failedReasons.map((r) => `${r.message}: ${r.details}`).join('\n');
		return { ok: false, error: failure('prompt_outputs_failed_validation', 'Prompt outputs failed validation', details), nodeErrors };
	}
	return { ok: true, outputs: good, nodeErrors, prompt };
}
