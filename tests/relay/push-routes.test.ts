// The push routes: the relay's VAPID key and a device's one subscription, behind the device token, and the
// endpoint check that keeps the relay from POSTing anywhere a client names.
import { env, runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { allowedEndpoint, parseSubscription } from '../../durable-objects/src/push-subscriptions';
import { ADMIN_SECRET, call, pairPhone } from './support';
import { fromB64url, newSubscriber, putSubscription } from './push-support';

let addresses = 0;
/** This file's own addresses: the failed-attempt limiter is shared by every test file. */
const freshAddress = () => `100.64.9.${++addresses}`;
const relayStub = () => env.RELAY.get(env.RELAY.idFromName(env.COMFY_URL));
const storedFor = (deviceId: string) => runInDurableObject(relayStub(), async (relay) => relay.pushSubscriptions.forDevice(deviceId));

describe('push routes need a paired device', () => {
	it('answers the key and both subscription routes with a bare 401 without a token or with a wrong one', async () => {
		const { deviceId } = await pairPhone();
		const subscriber = await newSubscriber();
		for (const bearer of [undefined, 'nonsense', `${deviceId}.wrong-secret`]) {
			const address = freshAddress();
			const key = await call('/relay/push/key', { bearer, address });
			expect(key.status).toBe(401);
			expect(await key.text()).toBe('');
			expect((await putSubscription(bearer, subscriber.json, address)).status).toBe(401);
			expect((await call('/relay/push/subscription', { method: 'DELETE', bearer, address })).status).toBe(401);
		}
		expect(await storedFor(deviceId)).toBeNull();
	});

	it('gives a paired device the same uncompressed P-256 public key every time', async () => {
		const { token } = await pairPhone();
		const first = (await (await call('/relay/push/key', { bearer: token })).json()) as { publicKey: string };
		const second = (await (await call('/relay/push/key', { bearer: token })).json()) as { publicKey: string };
		expect(second.publicKey).toBe(first.publicKey);
		const raw = fromB64url(first.publicKey);
		expect(raw.length).toBe(65);
		expect(raw[0]).toBe(4);
		await crypto.subtle.importKey('raw', raw, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['verify']);
	});

	it('keeps one subscription per device: a new one replaces it, DELETE removes it', async () => {
		const { deviceId, token } = await pairPhone();
		const first = await newSubscriber();
		const second = await newSubscriber();
		expect((await putSubscription(token, first.json)).status).toBe(204);
		expect((await storedFor(deviceId))?.endpoint).toBe(first.endpoint);
		expect((await putSubscription(token, second.json)).status).toBe(204);
		const stored = await storedFor(deviceId);
		expect(stored).toMatchObject({ endpoint: second.endpoint, p256dh: second.json.keys.p256dh, auth: second.json.keys.auth, subject: 'https://relay.test' });
		expect((await call('/relay/push/subscription', { method: 'DELETE', bearer: token })).status).toBe(204);
		expect(await storedFor(deviceId)).toBeNull();
	});

	it("lets one device's DELETE leave another device's subscription alone", async () => {
		const a = await pairPhone();
		const b = await pairPhone();
		await putSubscription(a.token, (await newSubscriber()).json);
		await putSubscription(b.token, (await newSubscriber()).json);
		await call('/relay/push/subscription', { method: 'DELETE', bearer: a.token });
		expect(await storedFor(a.deviceId)).toBeNull();
		expect(await storedFor(b.deviceId)).not.toBeNull();
		await call('/relay/push/subscription', { method: 'DELETE', bearer: b.token });
	});

	it("removes a revoked device's subscription and refuses its token on the push routes", async () => {
		const { deviceId, token } = await pairPhone();
		expect((await putSubscription(token, (await newSubscriber()).json)).status).toBe(204);
		expect(await storedFor(deviceId)).not.toBeNull();
		expect((await call(`/relay/admin/devices/${deviceId}`, { method: 'DELETE', bearer: ADMIN_SECRET })).status).toBe(204);
		expect(await storedFor(deviceId)).toBeNull();
		expect((await putSubscription(token, (await newSubscriber()).json, freshAddress())).status).toBe(401);
		expect(await storedFor(deviceId)).toBeNull();
	});

	it('answers the PUT preflight, since the app may be served from another origin', async () => {
		const preflight = await call('/relay/push/subscription', { method: 'OPTIONS', headers: { Origin: 'http://localhost:5173' } });
		expect(preflight.status).toBe(204);
		expect(preflight.headers.get('Access-Control-Allow-Methods')).toContain('PUT');
	});
});

describe('the relay only stores endpoints of known push services', () => {
	const refused = [
		'http://fcm.googleapis.com/fcm/send/abc',
		'https://example.com/push',
		'https://fcm.googleapis.com.evil.example/fcm/send/abc',
		'https://evilfcm.googleapis.com/x',
		'https://push.apple.com.evil.example/x',
		'https://evil.example/#.push.apple.com',
		'https://evil.example/?host=fcm.googleapis.com',
		'https://fcm.googleapis.com@evil.example/x',
		'https://user:pass@fcm.googleapis.com/x',
		'https://fcm.googleapis.com:8443/x',
		'https://142.250.74.42/fcm/send/abc',
		'https://[::1]/x',
		'https://127.0.0.1:18190/push/x',
		'https://.push.apple.com/x',
		'ftp://fcm.googleapis.com/x',
		'javascript:alert(1)',
		'fcm.googleapis.com/fcm/send/abc',
		`https://fcm.googleapis.com/${'a'.repeat(1100)}`
	];

	it.each(refused)('refuses %s with 400 and a clear message', async (endpoint) => {
		const { deviceId, token } = await pairPhone();
		const subscriber = await newSubscriber();
		const res = await putSubscription(token, { ...subscriber.json, endpoint });
		expect(res.status).toBe(400);
		expect(((await res.json()) as { message: string }).message).toContain('known push service');
		expect(await storedFor(deviceId)).toBeNull();
	});

	it('accepts the push services of Chrome, Firefox, Safari and Edge', () => {
		for (const endpoint of [
			'https://fcm.googleapis.com/fcm/send/dAPT:abc',
			'https://updates.push.services.mozilla.com/wpush/v2/gAAAA',
			'https://web.push.apple.com/QGuQyavXutnMH',
			'https://wns2-par02p.notify.windows.com/w/?token=BQYAAA'
		]) {
			expect(allowedEndpoint(endpoint), endpoint).toBe(endpoint);
		}
	});

	it('admits the test push origin only when it is configured, and only that exact origin', () => {
		expect(allowedEndpoint('http://127.0.0.1:18190/push/x')).toBeNull();
		expect(allowedEndpoint('http://127.0.0.1:18190/push/x', 'http://127.0.0.1:18190')).toBe('http://127.0.0.1:18190/push/x');
		expect(allowedEndpoint('http://127.0.0.1:18191/push/x', 'http://127.0.0.1:18190')).toBeNull();
		expect(allowedEndpoint('http://u@127.0.0.1:18190/push/x', 'http://127.0.0.1:18190')).toBeNull();
	});

	it('checks the key lengths: p256dh an uncompressed 65-byte point, auth 16 bytes', async () => {
		const s = await newSubscriber();
		const p256dh = fromB64url(s.json.keys.p256dh);
		const b64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
		const cases: [unknown, string][] = [
			[{ endpoint: s.endpoint }, 'p256dh'],
			[{ endpoint: s.endpoint, keys: { p256dh: b64(p256dh.slice(0, 64)), auth: s.json.keys.auth } }, 'p256dh'],
			[{ endpoint: s.endpoint, keys: { p256dh: b64(Uint8Array.from([2, ...p256dh.slice(1)])), auth: s.json.keys.auth } }, 'p256dh'],
			[{ endpoint: s.endpoint, keys: { p256dh: 'not base64!', auth: s.json.keys.auth } }, 'p256dh'],
			[{ endpoint: s.endpoint, keys: { p256dh: s.json.keys.p256dh, auth: b64(new Uint8Array(15)) } }, 'auth'],
			[{ endpoint: s.endpoint, keys: { p256dh: s.json.keys.p256dh, auth: b64(new Uint8Array(17)) } }, 'auth'],
			[{ endpoint: 42, keys: s.json.keys }, 'endpoint']
		];
		const { token, deviceId } = await pairPhone();
		for (const [body, field] of cases) {
			expect(parseSubscription(body, 'http://127.0.0.1:18190')).toMatchObject({ ok: false });
			const res = await putSubscription(token, body);
			expect(res.status, JSON.stringify(body)).toBe(400);
			expect(((await res.json()) as { message: string }).message).toContain(field);
		}
		expect(await storedFor(deviceId)).toBeNull();
	});

	it('refuses bodies that are not JSON or larger than 4 KiB', async () => {
		const { token, deviceId } = await pairPhone();
		const s = await newSubscriber();
		expect((await putSubscription(token, '{not json')).status).toBe(400);
		expect((await putSubscription(token, { ...s.json, padding: 'x'.repeat(5000) })).status).toBe(413);
		expect(await storedFor(deviceId)).toBeNull();
	});
});
