import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { processDynamicPrompt } from '../../../src/lib/workflow/dynamic-prompts';

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
