// A refused request that carries a body must leave nothing behind: not an unread stream the runtime keeps pumping
// into the Durable Object after the answer, which threw where no one caught it and broke the connection the next
// request used (under `wrangler dev`: `503 Your worker restarted mid-request`, 1 in 40).
import { describe, expect, it } from 'vitest';
import { ADMIN_SECRET, call } from './support';

let addresses = 0;
const freshAddress = () => `100.64.11.${++addresses}`;

async function status(res: Promise<Response>): Promise<number> {
	const r = await res;
	await r.body?.cancel();
	return r.status;
}

describe('refused requests with a body', () => {
	it('answer each refusal and leave the next request, from anyone, unharmed', async () => {
		const lockedOut = freshAddress();
		for (let i = 0; i < 10; i++) await status(call('/relay/pair', { method: 'POST', body: '{"code":"wrong"}', address: lockedOut }));
		const refusals: [string, RequestInit & { address?: string; bearer?: string }, number][] = [
			['/relay/push/subscription', { method: 'PUT', body: 'x'.repeat(40) }, 401],
			['/relay/pair', { method: 'POST', body: 'y'.repeat(5000) }, 401],
			['/relay/pair', { method: 'POST', body: '{"code":"wrong"}', address: lockedOut }, 429],
			['/relay/ticket', { method: 'POST', body: 'z'.repeat(100), bearer: 'dev.guess' }, 401],
			['/relay/api/api/prompt', { method: 'POST', body: '{"prompt":{}}', bearer: 'dev.guess' }, 401]
		];
		const seen: string[] = [];
		for (let round = 0; round < 8; round++) {
			for (const [path, init, expected] of refusals) {
				const got = await status(call(path, { address: freshAddress(), ...init }));
				if (got !== expected) seen.push(`${path}: ${got}`);
				const next = await status(call('/relay/admin/devices', { bearer: ADMIN_SECRET }));
				if (next !== 200) seen.push(`after ${path}: ${next}`);
			}
		}
		expect(seen).toEqual([]);
	}, 20_000);
});
