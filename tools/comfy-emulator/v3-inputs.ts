// V3 input types of newer servers (comfy_api/latest/_io.py) as the 2026 profile needs them: a dynamic combo is a
// key input plus the chosen option's sub-inputs as dotted keys on the same node ("resize_type.width"); a match-type
// input accepts the template's allowed types.
import type { InputSpec, NodeDef } from '../../src/lib/comfy/types';

export const DYNAMIC_COMBO = 'COMFY_DYNAMICCOMBO_V3';
export const MATCH_TYPE = 'COMFY_MATCHTYPE_V3';
export const AUTOGROW = 'COMFY_AUTOGROW_V3';

export interface ComboOption {
	key: string;
	inputs: { required?: Record<string, InputSpec>; optional?: Record<string, InputSpec> };
}

export function comboOptions(spec: InputSpec): ComboOption[] {
	const options = spec[1]?.options;
	return Array.isArray(options) ? (options as ComboOption[]).filter((o) => o && typeof o.key === 'string') : [];
}

/** The option a dynamic-combo value selects; null for an unknown key or a non-string (a nested object). */
export function chosenOption(spec: InputSpec, value: unknown): ComboOption | null {
	return typeof value === 'string' ? (comboOptions(spec).find((o) => o.key === value) ?? null) : null;
}

/** The types a match-type input takes ("IMAGE,MASK"), or null when the spec is not one. */
export function matchTypes(spec: InputSpec): string | null {
	if (spec[0] !== MATCH_TYPE) return null;
	const template = spec[1]?.template as { allowed_types?: unknown } | undefined;
	return typeof template?.allowed_types === 'string' ? template.allowed_types : '*';
}

/**
 * The execute() argument a node would lack at run time: the server validates a dynamic combo's sub-inputs only for
 * a known key, and builds the combo's argument only then, so an unknown key or a nested object is accepted by POST
 * /prompt and fails in execution with this TypeError (captures-2026 S6).
 */
export function missingComboArgument(def: NodeDef, inputs: Record<string, unknown>): string | null {
	for (const group of [def.input.required ?? {}, def.input.optional ?? {}]) {
		for (const [name, spec] of Object.entries(group)) {
			if (spec[0] === DYNAMIC_COMBO && Object.hasOwn(inputs, name) && !chosenOption(spec, inputs[name])) return name;
		}
	}
	return null;
}
