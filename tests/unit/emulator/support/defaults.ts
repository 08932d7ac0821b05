// The value the frontend would give an input it lacks: the spec's default, else a combo's first option.
import type { InputSpec } from '../../../../src/lib/comfy/types';

export function defaultOf(spec: InputSpec): unknown {
	const [type, options] = spec;
	if (options?.default !== undefined) return options.default;
	if (Array.isArray(type)) return type[0];
	return Array.isArray(options?.options) ? options.options[0] : undefined;
}
