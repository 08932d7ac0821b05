// ComfyUI is Python: its JSON can contain bare NaN / Infinity (e.g. a float widget), which JSON.parse rejects.

/** Parses JSON, turning bare NaN/Infinity/-Infinity outside strings into null. Throws SyntaxError otherwise. */
export function parseJsonLenient(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch (error) {
		const repaired = replaceNonFiniteLiterals(text);
		if (repaired === text) throw error;
		return JSON.parse(repaired);
	}
}

const NON_FINITE = /^(-?Infinity|NaN)/;

function replaceNonFiniteLiterals(text: string): string {
	let out = '';
	let inString = false;
	for (let i = 0; i < text.length; i++) {
		const c = text[i];
		if (inString) {
			out += c;
			if (c === '\\') out += text[++i] ?? '';
			else if (c === '"') inString = false;
			continue;
		}
		if (c === '"') inString = true;
		const match = c === 'N' || c === 'I' || c === '-' ? NON_FINITE.exec(text.slice(i, i + 9)) : null;
		if (match) {
			out += 'null';
			i += match[0].length - 1;
			continue;
		}
		out += c;
	}
	return out;
}
