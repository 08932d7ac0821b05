// The real server is Python: its error messages embed Python reprs and conversion errors (int("abc") …).
// These helpers reproduce the few Python behaviours those messages depend on, so the 400 bodies match.

/** An exception as the Python server would raise it: `type` is the class name (`KeyError`, `ValueError`…). */
export class PyException extends Error {
	constructor(
		readonly type: string,
		message: string
	) {
		super(message);
		this.name = type;
	}
}

function reprString(s: string): string {
	const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
	const body = s
		.replace(/\\/g, '\\\\')
		.replace(/\n/g, '\\n')
		.replace(/\r/g, '\\r')
		.replace(/\t/g, '\\t')
		.replace(new RegExp(quote, 'g'), `\\${quote}`);
	return `${quote}${body}${quote}`;
}

function reprNumber(n: number, asFloat: boolean): string {
	if (Number.isNaN(n)) return 'nan';
	if (!Number.isFinite(n)) return n > 0 ? 'inf' : '-inf';
	if (asFloat && Number.isInteger(n) && Math.abs(n) < 1e16) return n.toFixed(1);
	return String(n);
}

/** Python `repr()` of a JSON value. Numbers print as ints unless `asFloat` (JSON loses the int/float split). */
export function pyRepr(value: unknown, asFloat = false): string {
	if (value === null || value === undefined) return 'None';
	if (typeof value === 'boolean') return value ? 'True' : 'False';
	if (typeof value === 'number') return reprNumber(value, asFloat);
	if (typeof value === 'string') return reprString(value);
	if (Array.isArray(value)) return `[${value.map((v) => pyRepr(v)).join(', ')}]`;
	if (typeof value === 'object') {
		const entries = Object.entries(value as Record<string, unknown>);
		return `{${entries.map(([k, v]) => `${reprString(k)}: ${pyRepr(v)}`).join(', ')}}`;
	}
	return String(value);
}

/** Python `str()`: like repr except that strings print bare. */
export function pyStr(value: unknown, asFloat = false): string {
	return typeof value === 'string' ? value : pyRepr(value, asFloat);
}

function pyTypeName(value: unknown): string {
	if (value === null || value === undefined) return 'NoneType';
	if (Array.isArray(value)) return 'list';
	if (typeof value === 'object') return 'dict';
	return typeof value;
}

/** Python `int(value)`; throws PyException with Python's message when Python would. */
export function pyInt(value: unknown): number {
	if (typeof value === 'boolean') return value ? 1 : 0;
	if (typeof value === 'number') {
		if (Number.isNaN(value)) throw new PyException('ValueError', 'cannot convert float NaN to integer');
		if (!Number.isFinite(value)) throw new PyException('OverflowError', 'cannot convert float infinity to integer');
		return Math.trunc(value);
	}
	if (typeof value === 'string') {
		const text = value.trim().replace(/(\d)_(?=\d)/g, '$1');
		if (/^[+-]?\d+$/.test(text)) return Number(text);
		throw new PyException('ValueError', `invalid literal for int() with base 10: ${reprString(value)}`);
	}
	throw new PyException(
		'TypeError',
		`int() argument must be a string, a bytes-like object or a real number, not '${pyTypeName(value)}'`
	);
}

/** Python `float(value)`. */
export function pyFloat(value: unknown): number {
	if (typeof value === 'boolean') return value ? 1 : 0;
	if (typeof value === 'number') return value;
	if (typeof value === 'string') {
		const text = value.trim().toLowerCase().replace(/(\d)_(?=\d)/g, '$1');
		if (/^[+-]?(inf|infinity)$/.test(text)) return text.startsWith('-') ? -Infinity : Infinity;
		if (/^[+-]?nan$/.test(text)) return NaN;
		if (/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/.test(text)) return Number(text);
		throw new PyException('ValueError', `could not convert string to float: ${reprString(value)}`);
	}
	throw new PyException('TypeError', `float() argument must be a string or a real number, not '${pyTypeName(value)}'`);
}

/** Python truthiness, which is what `bool(value)` does to a widget value (so `"false"` is True). */
export function pyBool(value: unknown): boolean {
	if (value === null || value === undefined || value === false || value === 0 || value === '') return false;
	if (Array.isArray(value)) return value.length > 0;
	if (typeof value === 'object') return Object.keys(value as object).length > 0;
	return true;
}

/** A traceback line naming where the emulator raised, in the shape of Python's `traceback.format_tb`. */
export function emulatorTraceback(where: string): string[] {
	return [`  File "tools/comfy-emulator/${where}", in emulated ComfyUI 0.3.64\n`];
}
