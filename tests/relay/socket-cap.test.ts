// One device may hold only a handful of phone sockets: a stolen or buggy token opening sockets in a loop (a probe
// opened 200, all accepted) costs the relay a bounded number, and the oldest go first with their own close code.
import { env, runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { CLOSE_TOO_MANY_SOCKETS, MAX_SOCKETS_PER_DEVICE } from '../../src/lib/relay/protocol';
import { openPhone, pairPhone, type TestPhone } from './support';

const relayStub = () => env.RELAY.get(env.RELAY.idFromName(env.COMFY_URL));

async function socketsOf(deviceId: string): Promise<number> {
	return runInDurableObject(relayStub(), async (_relay, state) => state.getWebSockets(deviceId).filter((s) => s.readyState === WebSocket.OPEN).length);
}

describe('sockets per device', () => {
	it('keeps the newest few open and closes the oldest first, with CLOSE_TOO_MANY_SOCKETS', async () => {
		const { deviceId, token } = await pairPhone('many tabs');
		const other = await pairPhone('someone else');
		const bystander = await openPhone(other.token);
		const phones: TestPhone[] = [];
		for (let i = 0; i < MAX_SOCKETS_PER_DEVICE + 3; i++) {
			phones.push(await openPhone(token));
			await phones[i].waitFor((p) => p.texts.length > 0);
		}
		const excess = phones.slice(0, 3);
		const kept = phones.slice(3);
		await Promise.all(excess.map((p) => p.waitFor((q) => q.closed !== null)));
		for (const p of excess) expect(p.closed?.code).toBe(CLOSE_TOO_MANY_SOCKETS);
		await new Promise((resolve) => setTimeout(resolve, 200));
		for (const p of kept) expect(p.closed).toBeNull();
		expect(bystander.closed).toBeNull();
		expect(await socketsOf(deviceId)).toBe(MAX_SOCKETS_PER_DEVICE);
		for (const p of [...kept, bystander]) p.close();
	});

	it('holds the cap when one device opens sockets in a loop (bounded version of the 200-socket probe)', async () => {
		const { deviceId, token } = await pairPhone('socket loop');
		const phones: TestPhone[] = [];
		for (let i = 0; i < 24; i++) phones.push(await openPhone(token));
		await phones[phones.length - 1].waitFor((p) => p.texts.length > 0);
		await Promise.all(phones.slice(0, -MAX_SOCKETS_PER_DEVICE).map((p) => p.waitFor((q) => q.closed !== null)));
		expect(await socketsOf(deviceId)).toBe(MAX_SOCKETS_PER_DEVICE);
		expect(phones.filter((p) => p.closed === null)).toEqual(phones.slice(-MAX_SOCKETS_PER_DEVICE));
		for (const p of phones) if (p.closed === null) p.close();
	});
});
