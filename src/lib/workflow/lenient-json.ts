// JSON as Python writes it: json.dumps emits NaN, Infinity and -Infinity as bare words, which JSON.parse
// rejects. They are read as the numbers they stand for; everything else is strict JSON.
export type JsonResult = { ok: true; value: unknown } | { ok: false; error: string };

const NON_FINITE: Record<string, number> = { NaN: NaN, Infinity: Infinity, '-Infinity': -Infinity };
const MARK = '\u0000cp-nonfinite:';

export function parseLenientJson(text: string): JsonResult {
	try {
		return { ok: true, value: JSON.parse(text) };
	} catch (strictError) {
		const rewritten = replaceNonFinite(text);
		if (rewritten === text) return { ok: false, error: describe(strictError) };
		try {
			return {
				ok: true,
				value: JSON.parse(rewritten, (_k, v: unknown) => (typeof v === 'string' && v.startsWith(MARK) ? NON_FINITE[v.slice(MARK.length)] : v))
			};
		} catch (err) {
			return { ok: false, error: describe(err) };
		}
	}
}

function describe(err: unknown): string {
	return err instanceof Error ? err.message : String(err);
}

/** Bare NaN / Infinity / -Infinity outside strings, replaced by marked strings the reviver turns back. */
function replaceNonFinite(text: string): string {
	let out = '';
	let last = 0;
	let inString = false;
	for (let i = 0; i < text.length; i++) {
		const c = text[i];
		if (inString) {
			if (c === '\\') i++;
			else if (c === '"') inString = false;
			continue;
		}
		if (c === '"') {
			inString = true;
			continue;
		}
		const word = c === 'N' && text.startsWith('NaN', i) ? 'NaN' : c === 'I' && text.startsWith('Infinity', i) ? 'Infinity' : c === '-' && text.startsWith('-Infinity', i) ? '-Infinity' : '';
		if (word) {
			out += text.slice(last, i) + JSON.stringify(MARK + word);
			i += word.length - 1;
			last = i + 1;
		}
	}
	return last === 0 ? text : out + text.slice(last);
}
