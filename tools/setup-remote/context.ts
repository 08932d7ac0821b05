// `${key}` references in planned steps: filled in from the run's context when a step runs, and shown with every
// secret masked when the plan is printed.
import type { Context } from './types';

const REF = /\$\{([A-Za-z0-9_.]+)\}/g;

export function isSecretKey(key: string): boolean {
	return key.startsWith('secret.');
}

/** Enough to recognise a value, never enough to use it. */
export function mask(value: string): string {
	return value.length >= 20 ? `${value.slice(0, 4)}…(${value.length} chars)` : '••••';
}

/** Fills every reference; a reference to a value no step has produced yet is a bug in the plan, so it throws. */
export function resolve<T>(value: T, ctx: Context): T {
	return mapStrings(value, (s) =>
		s.replace(REF, (_, key: string) => {
			const v = ctx[key];
			if (v === undefined) throw new Error(`internal: no value for \${${key}} yet`);
			return v;
		})
	);
}

/** For printing: known values in place (secrets masked), values later steps will learn named as such. */
export function display<T>(value: T, ctx: Context): T {
	return mapStrings(value, (s) =>
		s.replace(REF, (_, key: string) => {
			const v = ctx[key];
			if (v === undefined) return `<${key} from an earlier step>`;
			return isSecretKey(key) ? mask(v) : v;
		})
	);
}

/** Masks every secret of the context wherever it appears in free text (command output, error messages). */
export function scrub(text: string, ctx: Context): string {
	let out = text;
	for (const [key, v] of Object.entries(ctx)) if (isSecretKey(key) && v.length >= 8) out = out.split(v).join(mask(v));
	return out;
}

function mapStrings<T>(value: T, f: (s: string) => string): T {
	if (typeof value === 'string') return f(value) as T;
	if (Array.isArray(value)) return value.map((v) => mapStrings(v, f)) as T;
	if (value !== null && typeof value === 'object') {
		return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapStrings(v, f)])) as T;
	}
	return value;
}
