import { describe, expect, it } from 'vitest';
import { deviceNameFromUserAgent, pairingLink, pairsElsewhere, pairWithRelay, parsePairingLink } from './pairing';

const fakeFetch = (status: number, body: unknown = {}) =>
	(async () => new Response(status === 200 ? JSON.stringify(body) : null, { status })) as unknown as typeof fetch;

describe('pairing links', () => {
	it('reads the code from the fragment of a pairing link', () => {
		expect(parsePairingLink('https://pocket.example.com/pair#code=abcd2345efgh6789jkmn')).toEqual({
			origin: 'https://pocket.example.com',
			code: 'abcd2345efgh6789jkmn'
		});
	});

	it('round-trips the link it builds', () => {
		const link = pairingLink('http://127.0.0.1:8787/', 'abcd2345efgh6789jkmn');
		expect(link).toBe('http://127.0.0.1:8787/pair#code=abcd2345efgh6789jkmn');
		expect(parsePairingLink(link)?.origin).toBe('http://127.0.0.1:8787');
	});

	it('uses a relay named in the fragment instead of the page origin', () => {
		expect(parsePairingLink('/pair#code=abcd2345efgh&relay=https://relay.example.net/x', 'http://localhost:5173')).toEqual({
			origin: 'https://relay.example.net',
			code: 'abcd2345efgh'
		});
	});

	it('tells a link to this relay from one naming a relay elsewhere, which must not pair unseen', () => {
		const page = 'https://pocket.example.com';
		const own = parsePairingLink(`${page}/pair#code=abcd2345efgh`, page);
		const other = parsePairingLink(`${page}/pair#code=abcd2345efgh&relay=https://evil.example`, page);
		const lookalike = parsePairingLink(`${page}/pair#code=abcd2345efgh&relay=https://pocket.example.com.evil.example`, page);
		expect(own && pairsElsewhere(own, `${page}/`)).toBe(false);
		expect(other && pairsElsewhere(other, page)).toBe(true);
		expect(lookalike && pairsElsewhere(lookalike, page)).toBe(true);
		const pasted = parsePairingLink('http://192.168.1.5:8787/pair#code=abcd2345efgh', page);
		expect(pasted && pairsElsewhere(pasted, page)).toBe(true);
	});

	it('rejects links without a usable code or with a strange relay', () => {
		expect(parsePairingLink('https://pocket.example.com/pair')).toBeNull();
		expect(parsePairingLink('https://pocket.example.com/pair#code=x')).toBeNull();
		expect(parsePairingLink('https://pocket.example.com/pair#code=abcd2345efgh&relay=javascript:alert(1)')).toBeNull();
		expect(parsePairingLink('not a link')).toBeNull();
	});
});

describe('pairWithRelay', () => {
	const link = { origin: 'https://pocket.example.com', code: 'abcd2345efgh' };

	it('returns the device id and token the relay hands out', async () => {
		const result = await pairWithRelay(link, 'Phone', fakeFetch(200, { deviceId: 'd1', token: 'd1.secret' }));
		expect(result).toEqual({ ok: true, origin: link.origin, deviceId: 'd1', token: 'd1.secret' });
	});

	it('explains a spent or expired code, rate limiting and an unreachable relay', async () => {
		const spent = await pairWithRelay(link, 'Phone', fakeFetch(401));
		expect(spent.ok === false && spent.error).toMatch(/work once and expire/);
		const limited = await pairWithRelay(link, 'Phone', fakeFetch(429));
		expect(limited.ok === false && limited.error).toMatch(/Too many/);
		const down = await pairWithRelay(link, 'Phone', (async () => {
			throw new TypeError('Failed to fetch');
		}) as unknown as typeof fetch);
		expect(down.ok === false && down.error).toMatch(/Cannot reach the relay/);
		const odd = await pairWithRelay(link, 'Phone', fakeFetch(200, { hello: 1 }));
		expect(odd.ok).toBe(false);
	});

	it('names devices after their platform', () => {
		expect(deviceNameFromUserAgent('Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X)')).toBe('iPhone');
		expect(deviceNameFromUserAgent('Mozilla/5.0 (Linux; Android 15; Pixel 9)')).toBe('Android phone');
	});
});
