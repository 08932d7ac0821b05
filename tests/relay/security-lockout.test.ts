// The failed-attempt lockout under concurrency, and what a refused attempt may not do: 100 guesses sent at once
// from one address must get exactly as many evaluations as the limit allows, and a pairing code must survive
// every refused attempt, whatever refused it.
import { describe, expect, it } from 'vitest';
import { call, createCode, pairPhone } from './support';

let addresses = 0;
/** Addresses of this file alone (the limiter is shared by every test file). */
const freshAddress = () => `100.64.9.${++addresses}`;

const LIMIT = 10;

function tally(statuses: number[]): Record<number, number> {
	const counts: Record<number, number> = {};
	for (const s of statuses) counts[s] = (counts[s] ?? 0) + 1;
	return counts;
}

async function concurrently(n: number, send: () => Promise<Response>): Promise<Record<number, number>> {
	// Each body is dropped as it arrives: the test's own subrequests share a few connections.
	const statuses = await Promise.all(
		Array.from({ length: n }, async () => {
			const res = await send();
			await res.body?.cancel();
			return res.status;
		})
	);
	return tally(statuses);
}

describe('the lockout counts before it checks', () => {
	it('evaluates exactly ten of 100 concurrent wrong pairing codes; the other 90 get 429', async () => {
		const address = freshAddress();
		const counts = await concurrently(100, () => call('/relay/pair', { method: 'POST', body: JSON.stringify({ code: 'wrong-code-guess' }), address }));
		expect(counts).toEqual({ 401: LIMIT, 429: 100 - LIMIT });
	});

	const doors: [string, string, RequestInit & { bearer?: string }][] = [
		['device tokens', '/relay/info', { bearer: 'dev.guess' }],
		['device tokens on the API', '/relay/api/api/queue', { bearer: 'dev.guess' }],
		['tickets', '/relay/ws?ticket=guess', { headers: { Upgrade: 'websocket' } }],
		['the admin secret', '/relay/admin/devices', { bearer: 'guess-admin-secret' }]
	];
	for (const [name, path, init] of doors) {
		it(`does the same for ${name}`, async () => {
			const address = freshAddress();
			expect(await concurrently(40, () => call(path, { ...init, address }))).toEqual({ 401: LIMIT, 429: 40 - LIMIT });
		});
	}

	it('still lets a paired phone make many requests at once (its successes are not failures)', async () => {
		const { token } = await pairPhone('busy phone');
		const address = freshAddress();
		expect(await concurrently(20, () => call('/relay/info', { bearer: token, address }))).toEqual({ 200: 20 });
	});
});

describe('a refused pairing attempt does not spend the code', () => {
	it('keeps a valid code through 13 refused attempts, says 429 while locked out, and pairs from elsewhere', async () => {
		const code = await createCode();
		const address = freshAddress();
		const refused = [
			'{"code":"wrong-1"}',
			'{"code":12345678}',
			'{"code":null}',
			'[]',
			'not json',
			JSON.stringify({ code, pad: 'x'.repeat(5000) }),
			'{"code":"wrong-2"}',
			'{"code":["a"]}',
			`{"code":"${'a'.repeat(65)}"}`,
			'{"code":"wrong-3"}',
			'{"code":"wrong-4"}',
			JSON.stringify({ code, pad: 'y'.repeat(5000) }),
			'{"code":"wrong-5"}'
		];
		const statuses: number[] = [];
		for (const body of refused) {
			const res = await call('/relay/pair', { method: 'POST', body, address });
			await res.body?.cancel();
			statuses.push(res.status);
		}
		expect(statuses).toEqual([...Array<number>(LIMIT).fill(401), 429, 429, 429]);
		// The lockout, not the code, refuses the valid attempt from this address...
		expect((await call('/relay/pair', { method: 'POST', body: JSON.stringify({ code }), address })).status).toBe(429);
		// ...and the code still works, once.
		expect((await call('/relay/pair', { method: 'POST', body: JSON.stringify({ code }), address: freshAddress() })).status).toBe(200);
		expect((await call('/relay/pair', { method: 'POST', body: JSON.stringify({ code }), address: freshAddress() })).status).toBe(401);
	});
});
