// Dynamic prompts as the official frontend processes them at queue time: C-style comments removed, each {a|b|c}
// (nestable) replaced by one option picked at random, the chosen option processed again. A backslash escape is
// kept as written (backslash included), as the frontend does; the server's tokenizer reads "\{" as a literal brace.
const COMMENTS = /\/\*[\s\S]*?\*\/|\/\/.*/g;

/** Nesting deeper than this is left as written, so no text can exhaust the stack or the time. */
const MAX_NESTING = 200;

export function processDynamicPrompt(text: string, random: () => number = Math.random): string {
	return process(text, random, 0);
}

function process(text: string, random: () => number, depth: number): string {
	const input = text.replace(COMMENTS, '');
	let out = '';
	let last = 0;
	let i = 0;
	while (i < input.length) {
		const c = input[i];
		if (c === '\\') {
			i += 2;
			continue;
		}
		if (c !== '{') {
			i++;
			continue;
		}
		out += input.slice(last, i);
		const { options, end } = choiceAt(input, i + 1);
		const [from, to] = options[Math.min(options.length - 1, Math.max(0, Math.floor(random() * options.length)))];
		const chosen = input.slice(from, to);
		out += depth < MAX_NESTING ? process(chosen, random, depth + 1) : chosen;
		i = last = end;
	}
	return out + input.slice(last);
}

/** The options of the choice block opened just before `from`, as spans, and where the block ends. */
function choiceAt(input: string, from: number): { options: [number, number][]; end: number } {
	const options: [number, number][] = [];
	let start = from;
	let depth = 0;
	for (let i = from; i < input.length; i++) {
		const c = input[i];
		if (c === '\\') i++;
		else if (c === '{') depth++;
		else if (c === '}') {
			if (depth === 0) {
				options.push([start, i]);
				return { options, end: i + 1 };
			}
			depth--;
		} else if (c === '|' && depth === 0) {
			options.push([start, i]);
			start = i + 1;
		}
	}
	options.push([start, input.length]);
	return { options, end: input.length };
}
