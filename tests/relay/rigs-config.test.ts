// Reading the rigs from configuration (rigs.ts), and a Worker whose configuration is broken: a clear 500 on every
// relay route and no upstream contacted.
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import worker from '../../durable-objects/src/index';
import { parseRigs, rigSecretSuffix, upstreamUrlProblem } from '../../durable-objects/src/rigs';
import { rigRequests } from './rig-support';
import { ORIGIN, pairPhone } from './support';

const BASE = { COMFY_URL: 'https://comfy.example.com' };

function problem(rigs: string): string {
	const config = parseRigs({ ...BASE, RIGS: rigs });
	if (config.ok) throw new Error(`accepted ${rigs}`);
	return config.message;
}

describe('parseRigs', () => {
	it('is the default rig alone without RIGS, with its secrets as before', () => {
		const config = parseRigs({ ...BASE, COMFY_ACCESS_CLIENT_ID: 'id', COMFY_ACCESS_CLIENT_SECRET: 'shh' } as never);
		expect(config).toEqual({ ok: true, rigs: [{ name: 'default', url: BASE.COMFY_URL, isDefault: true, accessClientId: 'id', accessClientSecret: 'shh' }] });
		expect(parseRigs({ ...BASE, RIGS: ' ' })).toEqual({ ok: true, rigs: [{ name: 'default', url: BASE.COMFY_URL, isDefault: true }] });
	});

	it('reads each rig with the secrets named after it, in the order given', () => {
		const config = parseRigs({
			...BASE,
			RIGS: '{"attic-2": "https://attic.example.com", "cloud": "http://10.0.0.5:8188/comfy"}',
			COMFY_ACCESS_CLIENT_ID_ATTIC_2: 'attic-id',
			COMFY_ACCESS_CLIENT_SECRET_ATTIC_2: 'attic-secret',
			// Half an Access token is no token, as for the default rig.
			COMFY_ACCESS_CLIENT_ID_CLOUD: 'cloud-id',
			COMFY_BEARER_CLOUD: 'cloud-bearer',
			COMFY_ACCESS_CLIENT_ID: 'default-id'
		} as never);
		expect(config.ok && config.rigs).toEqual([
			{ name: 'default', url: BASE.COMFY_URL, isDefault: true },
			{ name: 'attic-2', url: 'https://attic.example.com', isDefault: false, accessClientId: 'attic-id', accessClientSecret: 'attic-secret' },
			{ name: 'cloud', url: 'http://10.0.0.5:8188/comfy', isDefault: false, bearer: 'cloud-bearer' }
		]);
		expect(rigSecretSuffix('attic-2')).toBe('ATTIC_2');
	});

	it('refuses bad JSON without quoting it, and anything but an object', () => {
		expect(problem('{"attic": "https://a.example.com",')).toMatch(/^RIGS is not valid JSON/);
		expect(problem('{"attic": "https://secret-host.example.com",')).not.toContain('secret-host');
		for (const shape of ['[]', '"https://a.example.com"', 'null', '3']) expect(problem(shape)).toMatch(/^RIGS must be a JSON object/);
	});

	it('refuses bad rig names and the reserved "default"', () => {
		for (const name of ['Attic', 'at tic', 'attic_2', '', 'a'.repeat(33), '../x', 'ätt']) {
			expect(problem(JSON.stringify({ [name]: 'https://a.example.com' }))).toMatch(/is not a rig name/);
		}
		expect(problem('{"default": "https://a.example.com"}')).toMatch(/reserved/);
		expect(parseRigs({ ...BASE, RIGS: JSON.stringify({ ['a'.repeat(32)]: 'https://a.example.com', '0-9': 'https://b.example.com' }) }).ok).toBe(true);
	});

	it('refuses upstream URLs the COMFY_URL rules refuse, without repeating them', () => {
		const refused = ['', 'not a url', 'ftp://a.example.com', 'ws://a.example.com', 'file:///etc/passwd', 'https://user:pw@a.example.com', 'https://a.example.com/?x=1', 'https://a.example.com/#x', 'javascript:alert(1)'];
		for (const url of refused) {
			const message = problem(JSON.stringify({ attic: url }));
			expect(message, url).toMatch(/^RIGS: the URL of rig "attic" /);
			if (url.length > 12) expect(message).not.toContain(url);
		}
		expect(problem('{"attic": 42}')).toMatch(/is not set/);
		expect(upstreamUrlProblem('https://comfy.example.com/sub/')).toBeNull();
		const badDefault = parseRigs({ COMFY_URL: 'https://u:p@comfy.example.com' });
		expect(badDefault.ok === false && badDefault.message).toMatch(/^COMFY_URL must not carry a user name/);
	});

	it('refuses two rigs on one upstream (each rig object needs its own ComfyUI)', () => {
		expect(problem('{"attic": "https://comfy.example.com/"}')).toMatch(/same upstream as rig "default"/);
		expect(problem('{"a": "https://x.example.com", "b": "https://X.example.com"}')).toMatch(/rig "b" has the same upstream as rig "a"/);
	});
});

describe('a relay whose rigs are misconfigured', () => {
	it('answers every relay route with a 500 that says what is wrong, and contacts no upstream', async () => {
		const { token } = await pairPhone();
		const before = { attic: (await rigRequests('attic')).length, garage: (await rigRequests('garage')).length };
		const broken = { ...env, RIGS: '{"attic": "https://user:pw@attic.example.com"}' };
		for (const path of ['/relay/info', '/relay/api/api/system_stats', '/relay/rig/attic/api/api/system_stats', '/relay/rigs', '/relay/pair']) {
			const res = await worker.fetch(new Request(`${ORIGIN}${path}`, { headers: { Authorization: `Bearer ${token}` } }), broken as never);
			expect(res.status, path).toBe(500);
			const body = (await res.json()) as { error: string; message: string };
			expect(body.error).toBe('relay-misconfigured');
			expect(body.message).toMatch(/RIGS: the URL of rig "attic" must not carry a user name or password/);
			expect(body.message).not.toContain('attic.example.com');
		}
		expect((await rigRequests('attic')).length).toBe(before.attic);
		expect((await rigRequests('garage')).length).toBe(before.garage);
	});
});
