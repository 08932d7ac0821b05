// The relay's Web Push encryption against the example worked through in RFC 8291 (§5, Appendix A): with the RFC's
// sender key and salt it must produce the RFC's message byte for byte, which an implementation sharing a mistake
// with the tests' own decryption (push-support.ts) could not.
import { describe, expect, it } from 'vitest';
import { encryptPushPayload } from '../../durable-objects/src/push-crypto';
import { toBase64Url } from '../../durable-objects/src/crypto';
import { decryptPush, fromB64url } from './push-support';

const RFC8291 = {
	plaintext: 'V2hlbiBJIGdyb3cgdXAsIEkgd2FudCB0byBiZSBhIHdhdGVybWVsb24',
	asPublic: 'BP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A8',
	asPrivate: 'yfWPiYE-n46HLnH0KqZOF1fJJU3MYrct3AELtAQ-oRw',
	uaPublic: 'BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4',
	uaPrivate: 'q1dXpw3UpT5VOmu_cf_v6ih07Aems3njxI-JWgLcM94',
	salt: 'DGv6ra1nlYgDCS1FRnbzlw',
	auth: 'BTBZMqHH6r4Tts7J_aSIgg',
	body:
		'DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A_yl95bQpu6cVPT' +
		'pK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexSgSxsj_Qulcy4a-fN'
};

async function ecdhPair(publicKey: string, privateKey: string): Promise<CryptoKeyPair> {
	const raw = fromB64url(publicKey);
	const jwk = { kty: 'EC', crv: 'P-256', x: toBase64Url(raw.slice(1, 33)), y: toBase64Url(raw.slice(33, 65)) };
	const algorithm = { name: 'ECDH', namedCurve: 'P-256' };
	return {
		privateKey: await crypto.subtle.importKey('jwk', { ...jwk, d: privateKey }, algorithm, true, ['deriveBits']),
		publicKey: await crypto.subtle.importKey('jwk', jwk, algorithm, true, [])
	};
}

const rfcSender = () => ecdhPair(RFC8291.asPublic, RFC8291.asPrivate);

describe('Web Push encryption (RFC 8291)', () => {
	it("reproduces the RFC's example message exactly from its keys, salt and plaintext", async () => {
		const body = await encryptPushPayload(
			fromB64url(RFC8291.plaintext),
			{ p256dh: fromB64url(RFC8291.uaPublic), auth: fromB64url(RFC8291.auth) },
			{ sender: await rfcSender(), salt: fromB64url(RFC8291.salt) }
		);
		expect(toBase64Url(body)).toBe(RFC8291.body);
	});

	it("lets the tests' decryption read the RFC's example with the RFC's subscriber keys", async () => {
		const subscriber = await ecdhPair(RFC8291.uaPublic, RFC8291.uaPrivate);
		const text = await decryptPush(fromB64url(RFC8291.body), {
			endpoint: '',
			json: { endpoint: '', keys: { p256dh: RFC8291.uaPublic, auth: RFC8291.auth } },
			privateKey: subscriber.privateKey,
			publicRaw: fromB64url(RFC8291.uaPublic),
			auth: fromB64url(RFC8291.auth)
		});
		expect(text).toBe('When I grow up, I want to be a watermelon');
	});

	it('uses a fresh sender key and salt for every message', async () => {
		const target = { p256dh: fromB64url(RFC8291.uaPublic), auth: fromB64url(RFC8291.auth) };
		const [a, b] = await Promise.all([encryptPushPayload(new Uint8Array([1]), target), encryptPushPayload(new Uint8Array([1]), target)]);
		expect(toBase64Url(a.slice(0, 16))).not.toBe(toBase64Url(b.slice(0, 16)));
		expect(toBase64Url(a.slice(21, 86))).not.toBe(toBase64Url(b.slice(21, 86)));
	});

	it('refuses a payload that does not fit one 4096-byte record', async () => {
		const target = { p256dh: fromB64url(RFC8291.uaPublic), auth: fromB64url(RFC8291.auth) };
		await expect(encryptPushPayload(new Uint8Array(4080), target)).rejects.toThrow('too large');
	});
});
