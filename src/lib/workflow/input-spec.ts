// Small readers of /object_info input specs, shared by the widget model (widgets.ts, v3-inputs.ts) and the form.
import type { InputOptions, InputSpec, NodeDef } from '../comfy/types';

export function specOptions(spec: InputSpec): InputOptions {
	const o = spec[1];
	return o && typeof o === 'object' && !Array.isArray(o) ? o : {};
}

/**
 * The type an input is drawn as: `COMBO` for a legacy list, the V3 `widgetType` when given (a multi-type socket
 * such as `"FLOAT,INT"` shown as a FLOAT widget), else the declared type.
 */
export function specType(spec: InputSpec): string {
	const t = spec[0];
	if (Array.isArray(t)) return 'COMBO';
	const wt = specOptions(spec).widgetType;
	return typeof wt === 'string' && wt !== '' ? wt : String(t);
}

/** Options of a combo spec, legacy (type is the list) or new (`COMBO` with `options`). */
export function comboOptions(spec: InputSpec): unknown[] | undefined {
	if (Array.isArray(spec[0])) return spec[0];
	if (specType(spec) === 'COMBO') {
		const o = specOptions(spec).options;
		return Array.isArray(o) ? o : [];
	}
	return undefined;
}

/** Input names of a definition in the frontend's order: input_order when given, else key order. */
export function orderedInputs(def: NodeDef): [string, InputSpec][] {
	const out: [string, InputSpec][] = [];
	for (const section of ['required', 'optional'] as const) {
		const specs = def.input?.[section] ?? {};
		const order = def.input_order?.[section] ?? Object.keys(specs);
		for (const name of order) {
			const spec = Object.hasOwn(specs, name) ? specs[name] : undefined;
			if (Array.isArray(spec) && spec.length > 0) out.push([name, spec]);
		}
	}
	return out;
}

/** The default the frontend gives a fresh widget. */
export function specDefault(spec: InputSpec): unknown {
	const o = specOptions(spec);
	if (o.default !== undefined) return o.default;
	const combo = comboOptions(spec);
	if (combo) return o.multiselect ? [] : combo[0];
	switch (specType(spec)) {
		case 'INT':
		case 'FLOAT':
			return typeof o.min === 'number' && o.min > 0 ? o.min : 0;
		case 'BOOLEAN':
			return false;
		case 'STRING':
			return '';
		default:
			return undefined;
	}
}
