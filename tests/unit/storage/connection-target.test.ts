import { describe, expect, it } from 'vitest';
import { isLocalAddress, isLoopback, parseServerUrl } from '$lib/connection/target';
import { chromiumMajor } from '$lib/connection/browser';
import { staticBlock } from '$lib/connection/diagnose';

describe('server address parsing', () => {
	it('accepts what people type and gives a base URL without a trailing slash', () => {
		expect(parseServerUrl('192.168.1.5:8188')).toMatchObject({ ok: true, baseUrl: 'http://192.168.1.5:8188' });
		expect(parseServerUrl(' https://box.tailnet.ts.net/ ')).toMatchObject({ ok: true, baseUrl: 'https://box.tailnet.ts.net' });
		expect(parseServerUrl('http://nas.local:8188/comfy/')).toMatchObject({ ok: true, baseUrl: 'http://nas.local:8188/comfy' });
	});

	it('explains what is wrong with an unusable address', () => {
		expect(parseServerUrl('')).toMatchObject({ ok: false, error: expect.stringMatching(/Enter the address/) });
		expect(parseServerUrl('ftp://x')).toMatchObject({ ok: false, error: expect.stringMatching(/http:\/\/ or https:\/\//) });
		expect(parseServerUrl('http://a b')).toMatchObject({ ok: false, error: expect.stringMatching(/not an address/) });
		expect(parseServerUrl('http://x:8188/?a=1')).toMatchObject({ ok: false });
	});
});

describe('address spaces', () => {
	it('counts private, link-local, .local, Tailscale CGNAT and ULA addresses as local', () => {
		for (const host of ['10.0.0.2', '172.20.1.1', '192.168.1.5', '169.254.3.3', '100.101.102.103', 'box.local', '[fd12::1]', 'localhost']) {
			expect(isLocalAddress(host), host).toBe(true);
		}
		for (const host of ['8.8.8.8', '172.32.0.1', '100.128.0.1', 'example.com', 'box.tailnet.ts.net']) {
			expect(isLocalAddress(host), host).toBe(false);
		}
	});

	it('knows loopback', () => {
		expect(isLoopback('127.0.0.1')).toBe(true);
		expect(isLoopback('[::1]')).toBe(true);
		expect(isLoopback('192.168.1.1')).toBe(false);
	});
});

describe('browser detection', () => {
	it('reads the Chromium version from client hints or the user agent, and treats iOS browsers as WebKit', () => {
		expect(chromiumMajor('x', [{ brand: 'Chromium', version: '146' }])).toBe(146);
		expect(chromiumMajor('Mozilla/5.0 (Linux; Android 14) Chrome/143.0.0.0 Mobile Safari/537.36')).toBe(143);
		expect(chromiumMajor('Mozilla/5.0 (iPhone; CPU iPhone OS 18_0) CriOS/143.0 Mobile/15E148 Safari/604.1')).toBeNull();
		expect(chromiumMajor('Mozilla/5.0 (Macintosh) Version/18.0 Safari/605.1.15')).toBeNull();
	});
});

describe('mixed content, decided before any request', () => {
	const https = (chromium: number | null) => ({ chromium, pageOrigin: 'https://pocket.example', secureContext: true });

	it('blocks an http server from an https page in Safari and in Chromium before Local Network Access', () => {
		expect(staticBlock(new URL('http://192.168.1.5:8188'), https(null)).blocked).toBe(true);
		expect(staticBlock(new URL('http://192.168.1.5:8188'), https(141)).blocked).toBe(true);
	});

	it('lets Chromium 142+ try a private IP literal or .local name, but not a plain host name', () => {
		expect(staticBlock(new URL('http://192.168.1.5:8188'), https(142)).blocked).toBe(false);
		expect(staticBlock(new URL('http://nas.local:8188'), https(150)).blocked).toBe(false);
		expect(staticBlock(new URL('http://comfy.home.arpa:8188'), https(150)).blocked).toBe(true);
	});

	it('does not block an https server, a loopback server, or anything from an http page', () => {
		expect(staticBlock(new URL('https://box.tailnet.ts.net'), https(null)).blocked).toBe(false);
		expect(staticBlock(new URL('http://127.0.0.1:8188'), https(null)).blocked).toBe(false);
		expect(staticBlock(new URL('http://192.168.1.5:8188'), { chromium: null, pageOrigin: 'http://192.168.1.5:8787', secureContext: false }).blocked).toBe(false);
	});
});
