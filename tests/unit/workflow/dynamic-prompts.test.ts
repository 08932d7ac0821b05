import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { processDynamicPrompt } from '../../../src/lib/workflow/dynamic-prompts';

/**
 * The frontend's processor transcribed character by character (escapes kept with their backslash, the chosen
 * option processed again), as an oracle for the span-based implementation.
 */
function reference(text: string, random: () => number): string {
	const input = text.replace(/\/\*[\s\S]*?\*\/|\/\/.*/g, '');
	let i = 0;
	const escape = () => `\\${i < input.length ? input[i++] : (i++, '')}`;
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
		return reference(options[Math.min(options.length - 1, Math.floor(random() * options.length))], random);
	};
	let out = '';
	while (i < input.length) {
		const c = input[i++];
		out += c === '\\' ? escape() : c === '{' ? choice() : c;
	}
	return out;
}

/** The same sequence of draws for both implementations. */
function draws(values: number[]): () => number {
	let n = 0;
	return () => values[n++ % values.length];
}

const first = () => 0;
const last = () => 0.9999;

describe('processDynamicPrompt', () => {
	it('picks one option of each {a|b|c} group', () => {
		expect(processDynamicPrompt('a {red|green|blue} car', first)).toBe('a red car');
		expect(processDynamicPrompt('a {red|green|blue} car', last)).toBe('a blue car');
	});

	it('handles nested groups and empty options', () => {
		expect(processDynamicPrompt('{x|{y|z}}', last)).toBe('z');
		expect(processDynamicPrompt('{|big} dog', first)).toBe(' dog');
	});

	it('removes line and block comments first', () => {
		expect(processDynamicPrompt('cat // not this\ndog /* nor {this|that} */!', first)).toBe('cat \ndog !');
	});

	it('keeps escaped braces and bars with their backslash, as the frontend does', () => {
		expect(processDynamicPrompt('\\{a\\|b\\}', first)).toBe('\\{a\\|b\\}');
		expect(processDynamicPrompt('{a\\|b|c}', first)).toBe('a\\|b');
	});

	it('closes an unterminated group at the end of the text', () => {
		expect(processDynamicPrompt('x {a|b', last)).toBe('x b');
	});

	it('gives what the frontend gives, draw for draw, on any text', () => {
		fc.assert(
			fc.property(
				fc.string({ unit: fc.constantFrom('{', '}', '|', '\\', '/', '*', 'a', 'b', '\n', ' '), maxLength: 60 }),
				fc.array(fc.double({ min: 0, max: 0.9999, noNaN: true }), { minLength: 1, maxLength: 8 }),
				(text, values) => {
					expect(processDynamicPrompt(text, draws(values))).toBe(reference(text, draws(values)));
				}
			),
			{ numRuns: 2000 }
		);
	});

	it('survives nesting far deeper than any prompt has', () => {
		const deep = `${'{a|'.repeat(50_000)}z${'}'.repeat(50_000)}`;
		expect(typeof processDynamicPrompt(deep, () => 0.99)).toBe('string');
	});

	it('leaves text without syntax unchanged and never throws on any text', () => {
		fc.assert(
			fc.property(fc.string({ unit: fc.constantFrom('a', ' ', ',') }), (s) => processDynamicPrompt(s) === s)
		);
		fc.assert(
			fc.property(fc.string({ unit: fc.constantFrom('{', '}', '|', '\\', '/', '*', 'a', '\n') }), fc.double({ min: 0, max: 0.9999, noNaN: true }), (s, r) => {
				expect(typeof processDynamicPrompt(s, () => r)).toBe('string');
			})
		);
	});
});
