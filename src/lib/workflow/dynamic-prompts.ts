// Dynamic prompts as the official frontend processes them at queue time: C-style comments removed, each {a|b|c}
// (nestable) replaced by one option picked at random. A backslash escape is kept as written (backslash included),
// as the frontend does; the server's tokenizer reads "\{" as a literal brace.
const COMMENTS = /\/\*[\s\S]*?\*\/|\/\/.*/g;

export function processDynamicPrompt(text: string, random: () => number = Math.random): string {
	const input = text.replace(COMMENTS, '');
	let i = 0;

	const escape = (): string => {
		const next = i < input.length ? input[i] : '';
		i++;
		return `\\${next}`;
	};

	const choice = (): string => {
		const options: string[] = [];
		let current = '';
		let depth = 0;
		while (i < input.length) {
			const c = input[i++];
			if (c === '\\') {
				current += escape();
				continue;
			}
			if (c === '{') depth++;
			else if (c === '}') {
				if (depth === 0) break;
				depth--;
			} else if (c === '|' && depth === 0) {
				options.push(current);
				current = '';
				continue;
			}
			current += c;
		}
		options.push(current);
		const pick = Math.min(options.length - 1, Math.max(0, Math.floor(random() * options.length)));
		return processDynamicPrompt(options[pick], random);
	};

	let out = '';
	while (i < input.length) {
		const c = input[i++];
		if (c === '\\') out += escape();
		else if (c === '{') out += choice();
		else out += c;
	}
	return out;
}
