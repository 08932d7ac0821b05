import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseJsonLenient } from '$lib/comfy/json';

describe('parseJsonLenient', () => {
	it('parses any standard JSON exactly like JSON.parse', () => {
		fc.assert(
			fc.property(fc.jsonValue(), (value) => {
				const text = JSON.stringify(value);
				expect(parseJsonLenient(text)).toEqual(JSON.parse(text));
			})
		);
	});

	it('turns bare NaN, Infinity and -Infinity into null but leaves them alone inside strings', () => {
		const text = '{"a": NaN, "b": [Infinity, -Infinity, -1.5], "c": "NaN", "d": "say \\"Infinity\\"", "e": -3}';
		expect(parseJsonLenient(text)).toEqual({ a: null, b: [null, null, -1.5], c: 'NaN', d: 'say "Infinity"', e: -3 });
	});

	it('still rejects text that is not JSON', () => {
		for (const text of ['{', 'NaNa', '{"a": nan}', "{'a': 1}"]) expect(() => parseJsonLenient(text)).toThrow(SyntaxError);
	});
});
