// What kind of address the user typed: its normalised base URL and whether the browser treats it as local.

export type ParsedTarget = { ok: true; url: URL; baseUrl: string } | { ok: false; error: string };

/**
 * Accepts what people type ("192.168.1.5:8188", "http://box.local:8188/", "https://box.tailnet.ts.net") and
 * returns the base URL without a trailing slash. A bare host gets http:// because that is how ComfyUI listens.
 */
export function parseServerUrl(input: string): ParsedTarget {
	const text = input.trim();
	if (!text) return { ok: false, error: 'Enter the address of your ComfyUI, for example http://192.168.1.20:8188' };
	const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `http://${text}`;
	let url: URL;
	try {
		url = new URL(withScheme);
	} catch {
		return { ok: false, error: `"${text}" is not an address. Use the form http://192.168.1.20:8188` };
	}
	if (url.protocol !== 'http:' && url.protocol !== 'https:') {
		return { ok: false, error: `Use an http:// or https:// address, not ${url.protocol}//` };
	}
	if (url.search || url.hash) return { ok: false, error: 'Leave out the ?query or #part: only the server address is needed.' };
	const path = url.pathname.replace(/\/+$/, '');
	return { ok: true, url, baseUrl: `${url.origin}${path}` };
}

function ipv4(host: string): number[] | null {
	const parts = host.split('.');
	if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p))) return null;
	const nums = parts.map(Number);
	return nums.every((n) => n <= 255) ? nums : null;
}

export function isIpLiteral(hostname: string): boolean {
	return ipv4(hostname) !== null || hostname.startsWith('[');
}

export function isLoopback(hostname: string): boolean {
	const v4 = ipv4(hostname);
	if (v4) return v4[0] === 127;
	return hostname === 'localhost' || hostname.endsWith('.localhost') || hostname === '[::1]';
}

/**
 * Private and link-local addresses, `.local` names and Tailscale's 100.64/10: the address spaces the Local
 * Network Access spec counts as local (lan-notes §2), which Chromium lets past mixed-content checks once allowed.
 */
export function isLocalAddress(hostname: string): boolean {
	if (isLoopback(hostname) || hostname.endsWith('.local')) return true;
	const v4 = ipv4(hostname);
	if (v4) {
		const [a, b] = v4;
		return a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254) || (a === 100 && b >= 64 && b <= 127);
	}
	const v6 = hostname.replace(/^\[|\]$/g, '').toLowerCase();
	return /^f[cd][0-9a-f]{2}:/.test(v6) || /^fe[89ab][0-9a-f]:/.test(v6);
}
