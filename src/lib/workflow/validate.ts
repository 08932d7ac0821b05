// Client-side checks of form values against the fields' specs, so the user hears about a bad value before the
// server rejects the prompt. Field id → message; empty when everything is acceptable.
import type { Field, FormModel } from './types';
import { coerceValue } from './apply';
import { activeIds, entryOrdinals } from './form-active';

/** Only the fields in effect are checked: a sub-field of an option not chosen is not sent, whatever it holds. */
export function validateValues(model: FormModel, values: Record<string, unknown>): Record<string, string> {
	const errors: Record<string, string> = {};
	const active = activeIds(model, values);
	for (const field of model.fields) {
		if (!active.has(field.id)) continue;
		const raw = Object.hasOwn(values, field.id) ? values[field.id] : field.default;
		const message = checkField(field, coerceValue(field, raw));
		if (message) errors[field.id] = message;
	}
	return errors;
}

export function checkField(field: Field, value: unknown): string | undefined {
	const name = field.label;
	switch (field.kind) {
		case 'int':
		case 'seed':
		case 'float': {
			if (typeof value !== 'number' || !Number.isFinite(value)) return `${name} must be a number.`;
			if (field.kind !== 'float' && !Number.isInteger(value)) return `${name} must be a whole number.`;
			if (field.kind === 'seed' && Math.abs(value) > Number.MAX_SAFE_INTEGER) return `${name} must be at most ${Number.MAX_SAFE_INTEGER}.`;
			if (field.min !== undefined && value < field.min) return `${name} must be at least ${field.min}.`;
			if (field.max !== undefined && value > field.max) return `${name} must be at most ${field.max}.`;
			return undefined;
		}
		case 'boolean':
			return typeof value === 'boolean' ? undefined : `${name} must be on or off.`;
		case 'text':
		case 'multiline':
			return typeof value === 'string' ? undefined : `${name} must be text.`;
		case 'image':
			return typeof value === 'string' && value !== '' ? undefined : `Choose an image for ${name}.`;
		case 'raw':
			return undefined;
		case 'multiselect': {
			if (!Array.isArray(value)) return `Choose values for ${name}.`;
			const options = field.options ?? [];
			const unknown = value.find((v) => options.length > 0 && !options.includes(String(v)));
			return unknown === undefined ? undefined : `"${String(unknown)}" is not one of the choices for ${name}.`;
		}
		case 'entries': {
			const count = entryOrdinals(value).length + (field.entries?.linked.length ?? 0);
			const min = field.entries?.min ?? 0;
			const max = field.entries?.max ?? Infinity;
			if (count < min) return `${name} needs at least ${min} ${min === 1 ? 'entry' : 'entries'}.`;
			if (count > max) return `${name} takes at most ${max} entries.`;
			return undefined;
		}
		case 'combo':
		case 'model':
		case 'lora': {
			if (typeof value !== 'string' && typeof value !== 'number') return `Choose a value for ${name}.`;
			const options = field.options ?? [];
			if (options.length > 0 && !options.includes(String(value))) return `"${String(value)}" is not one of the choices for ${name}.`;
			return undefined;
		}
	}
}
