import { SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';

describe('relay worker', () => {
	it('answers unknown relay paths with 404', async () => {
		const res = await SELF.fetch('https://relay.test/relay/nope');
		expect(res.status).toBe(404);
	});
});
