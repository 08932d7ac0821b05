// Several rigs behind one relay (RIGS in wrangler.test.toml: attic and garage, each an emulator behind a recording
// proxy): each rig reaches only its own upstream with its own credentials, unknown rigs are 404 before any upstream,
// the default rig is as before, and `/relay/rigs` names the rigs and their state, never their addresses.
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import type { RigsResponse } from '../../src/lib/relay/protocol';
import { rigRequests, rigRequestsSince } from './rig-support';
import { finished, queueRun, waitUpstreamLive } from './runs';
import { call, openPhone, pairPhone, ticketFor } from './support';

const checkpoints = async (prefix: string, token: string) => {
	const res = await call(`${prefix}/api/api/models/checkpoints`, { bearer: token });
	expect(res.status, prefix).toBe(200);
	return (await res.json()) as string[];
};

async function counts(): Promise<{ attic: number; garage: number }> {
	return { attic: (await rigRequests('attic')).length, garage: (await rigRequests('garage')).length };
}

describe('rig-scoped paths', () => {
	it('reach only their own rig’s upstream; the default rig’s paths reach COMFY_URL as before', async () => {
		const { token } = await pairPhone();
		const before = await counts();
		expect(await checkpoints('/relay/rig/attic', token)).toEqual(['attic.safetensors']);
		const afterAttic = await counts();
		expect(afterAttic.attic).toBe(before.attic + 1);
		expect(afterAttic.garage).toBe(before.garage);
		expect(await checkpoints('/relay/rig/garage', token)).toEqual(['garage.safetensors']);
		expect((await counts()).attic).toBe(afterAttic.attic);
		const defaults = await checkpoints('/relay', token);
		expect(defaults).not.toContain('attic.safetensors');
		expect(defaults).not.toContain('garage.safetensors');
		expect(defaults.length).toBeGreaterThan(0);
		expect((await counts()).garage).toBe(afterAttic.garage + 1);
	});

	it('send each rig its own Access token or bearer, and neither to another rig', async () => {
		const { token } = await pairPhone();
		const before = await counts();
		await checkpoints('/relay/rig/attic', token);
		await checkpoints('/relay/rig/garage', token);
		const [attic] = await rigRequestsSince('attic', before.attic);
		const [garage] = await rigRequestsSince('garage', before.garage);
		expect(attic.headers['cf-access-client-id']).toBe('attic-id.access');
		expect(attic.headers['cf-access-client-secret']).toBe('attic-access-secret');
		expect(attic.headers.authorization).toBeUndefined();
		expect(garage.headers.authorization).toBe('Bearer garage-bearer');
		expect(garage.headers['cf-access-client-id']).toBeUndefined();
		// The phone's own token never travels upstream.
		expect(JSON.stringify([attic, garage])).not.toContain(token);
	});

	it('answer 404 for a rig that is not configured, without contacting any upstream', async () => {
		const { token } = await pairPhone();
		const before = await counts();
		for (const path of ['/relay/rig/cellar/api/api/system_stats', '/relay/rig/default/api/api/system_stats', '/relay/rig/ATTIC/info', '/relay/rig//info', '/relay/rig/attic%2F..%2Fgarage/info']) {
			expect((await call(path, { bearer: token })).status, path).toBe(404);
		}
		const socket = await call(`/relay/rig/cellar/ws?ticket=${await ticketFor(token)}`, { headers: { Upgrade: 'websocket' } });
		expect(socket.status).toBe(404);
		expect(await counts()).toEqual(before);
	});

	it('refuse requests without a valid device token (401) before looking at the rig', async () => {
		const { token } = await pairPhone();
		const before = await counts();
		for (const path of ['/relay/rig/attic/api/api/system_stats', '/relay/rig/attic/info', '/relay/rig/cellar/info', '/relay/rigs', '/relay/rig/attic/push/key']) {
			expect((await call(path, { address: '198.51.100.201' })).status, path).toBe(401);
			expect((await call(path, { bearer: `${token}x`, address: '198.51.100.202' })).status, path).toBe(401);
		}
		expect((await call('/relay/rig/attic/ws?ticket=forged', { headers: { Upgrade: 'websocket' }, address: '198.51.100.203' })).status).toBe(401);
		expect((await call('/relay/rig/attic/ticket', { method: 'POST', address: '198.51.100.203' })).status).toBe(401);
		expect(await counts()).toEqual(before);
	});

	it('ignore a client’s own X-Relay-Device and X-Relay-Rig headers', async () => {
		const owner = await pairPhone('owner');
		const other = await pairPhone('other');
		// Without a token, naming a device gets nothing.
		const spoofed = { 'X-Relay-Device': owner.deviceId, 'X-Relay-Rig': 'attic' };
		expect((await call('/relay/rig/attic/api/api/queue', { headers: spoofed, address: '198.51.100.204' })).status).toBe(401);
		expect((await call('/relay/api/api/queue', { headers: spoofed, address: '198.51.100.204' })).status).toBe(401);
		// With another device's token, the run is that device's, not the named one's.
		const phone = await openPhone(owner.token, { prefix: '/relay/rig/attic' });
		await waitUpstreamLive(phone);
		const promptId = await queueRun(other.token, { steps: 2, delayMs: 10, prefix: '/relay/rig/attic' });
		await phone.waitFor((p) => p.texts.some((e) => e.t === 'run' && e.run.promptId === promptId));
		const run = phone.texts.find((e) => e.t === 'run' && e.run.promptId === promptId);
		expect(run?.t === 'run' && run.run.deviceId).toBe(other.deviceId);
		// A rig header on a default-rig path does not turn the default rig's object into that rig.
		const info = await call('/relay/info', { bearer: owner.token, headers: { 'X-Relay-Rig': 'attic' } });
		expect(info.status).toBe(200);
		expect(await checkpoints('/relay', owner.token)).not.toContain('attic.safetensors');
		await phone.waitFor((p) => finished(p, promptId));
		phone.close();
	});
});

describe('rig phone sockets', () => {
	it('hold one upstream socket per rig, on that rig, and carry only that rig’s runs', async () => {
		const { token } = await pairPhone();
		const before = await counts();
		const atticPhone = await openPhone(token, { prefix: '/relay/rig/attic' });
		const defaultPhone = await openPhone(token);
		await waitUpstreamLive(atticPhone);
		await waitUpstreamLive(defaultPhone);
		const atticSockets = (await rigRequestsSince('attic', before.attic)).filter((r) => r.upgrade);
		expect(atticSockets.length).toBeGreaterThanOrEqual(1);
		expect(new Set(atticSockets.map((r) => r.path)).size).toBe(1);
		expect(atticSockets[0].headers['cf-access-client-id']).toBe('attic-id.access');
		expect((await rigRequestsSince('garage', before.garage)).filter((r) => r.upgrade)).toEqual([]);
		const promptId = await queueRun(token, { steps: 2, delayMs: 10, prefix: '/relay/rig/attic' });
		await atticPhone.waitFor((p) => finished(p, promptId));
		expect(defaultPhone.texts.some((e) => e.t === 'comfy' && JSON.stringify(e.m).includes(promptId))).toBe(false);
		expect((await rigRequestsSince('attic', before.attic)).some((r) => r.method === 'POST' && r.path === '/api/prompt')).toBe(true);
		atticPhone.close();
		defaultPhone.close();
	});
});

describe('run cards on a rig', () => {
	it('name the device that queued the run, live and in a later snapshot, whatever name header a client sends', async () => {
		const anna = await pairPhone("Anna's phone");
		const watcher = await openPhone((await pairPhone('watcher')).token, { prefix: '/relay/rig/garage' });
		await waitUpstreamLive(watcher);
		const promptId = `rig-card-${Date.now()}`;
		const prompt = {
			'1': { class_type: 'SlowNoiseImage', inputs: { steps: 30, seed: 7, width: 64, height: 64, text: 'card', delay_ms: 60, preview_format: 'JPEG' } },
			'2': { class_type: 'SaveImage', inputs: { images: ['1', 0], filename_prefix: 'card' } }
		};
		const queued = await call('/relay/rig/garage/api/api/prompt', {
			method: 'POST',
			bearer: anna.token,
			headers: { 'X-Relay-Device-Name': 'Mallory' },
			body: JSON.stringify({ prompt, prompt_id: promptId, client_id: 'ignored' })
		});
		expect(queued.status).toBe(200);
		await watcher.waitFor((p) => p.texts.some((e) => e.t === 'run' && e.run.promptId === promptId));
		const live = watcher.texts.find((e) => e.t === 'run' && e.run.promptId === promptId);
		expect(live?.t === 'run' && live.run.device).toBe("Anna's phone");
		const late = await openPhone(anna.token, { prefix: '/relay/rig/garage' });
		await late.waitFor((p) => p.texts.some((e) => e.t === 'hello'));
		const hello = late.texts.find((e) => e.t === 'hello');
		expect(hello?.t === 'hello' && hello.snapshot?.runs?.find((r) => r.promptId === promptId)?.device).toBe("Anna's phone");
		await call('/relay/rig/garage/api/api/interrupt', { method: 'POST', bearer: anna.token, body: JSON.stringify({ prompt_id: promptId }) });
		await watcher.waitFor((p) => finished(p, promptId));
		watcher.close();
		late.close();
	});
});

describe('GET /relay/rigs', () => {
	it('lists every rig’s name and upstream state, the default first, and no address', async () => {
		const { token } = await pairPhone();
		const phone = await openPhone(token, { prefix: '/relay/rig/garage' });
		await waitUpstreamLive(phone);
		const res = await call('/relay/rigs', { bearer: token });
		expect(res.status).toBe(200);
		const text = await res.text();
		const body = JSON.parse(text) as RigsResponse;
		expect(body.rigs.map((r) => [r.name, r.default])).toEqual([
			['default', true],
			['attic', false],
			['garage', false]
		]);
		expect(body.rigs.find((r) => r.name === 'garage')?.upstream.status).toBe('live');
		for (const rig of body.rigs) expect(['idle', 'connecting', 'live', 'backoff', 'unauthorized']).toContain(rig.upstream.status);
		for (const trace of ['127.0.0.1', '18188', '18191', '18192', 'http', env.COMFY_URL]) expect(text).not.toContain(trace);
		phone.close();
	});
});

describe('revoking a device', () => {
	it('refuses it on every rig and closes its sockets there', async () => {
		const { token, deviceId } = await pairPhone('lost phone');
		const atticPhone = await openPhone(token, { prefix: '/relay/rig/attic' });
		const garagePhone = await openPhone(token, { prefix: '/relay/rig/garage' });
		await waitUpstreamLive(atticPhone);
		await waitUpstreamLive(garagePhone);
		const unusedTicket = ((await (await call('/relay/rig/attic/ticket', { method: 'POST', bearer: token })).json()) as { ticket: string }).ticket;
		const revoked = await call(`/relay/admin/devices/${deviceId}`, { method: 'DELETE', bearer: 'test-admin-secret' });
		expect(revoked.status).toBe(204);
		await atticPhone.waitFor((p) => p.closed !== null);
		await garagePhone.waitFor((p) => p.closed !== null);
		expect(atticPhone.closed?.code).toBe(4001);
		expect(garagePhone.closed?.code).toBe(4001);
		for (const path of ['/relay/info', '/relay/rig/attic/info', '/relay/rig/garage/api/api/queue', '/relay/rigs']) {
			expect((await call(path, { bearer: token, address: '198.51.100.210' })).status, path).toBe(401);
		}
		const socket = await call(`/relay/rig/attic/ws?ticket=${unusedTicket}`, { headers: { Upgrade: 'websocket' }, address: '198.51.100.211' });
		expect(socket.status).toBe(401);
	});
});
