import { describe, expect, it } from 'vitest';

describe('unit tier', () => {
	it('runs TypeScript in Node', () => {
		expect(typeof structuredClone).toBe('function');
	});
});
