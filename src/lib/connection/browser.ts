// The facts about the browser that decide what a LAN connection can do (lan-notes §1–§3).

export interface BrowserFacts {
	/** Chromium major version, or null for Safari/Firefox (and anything on iOS, which is WebKit underneath). */
	chromium: number | null;
	/** The page's own origin, e.g. https://pocket.example or http://192.168.1.20:8787. */
	pageOrigin: string;
	/** Whether the page is a secure context (https, or localhost). */
	secureContext: boolean;
}

// Local Network Access shipped in Chromium 142 for fetch and 147 for WebSockets (lan-notes §2).
export const LNA_FETCH_CHROMIUM = 142;
export const LNA_WEBSOCKET_CHROMIUM = 147;

interface Brand {
	brand: string;
	version: string;
}

/** From `navigator.userAgentData.brands` when present, else the user-agent string. iOS browsers are WebKit. */
export function chromiumMajor(userAgent: string, brands?: readonly Brand[]): number | null {
	if (/\b(iPhone|iPad|iPod)\b/.test(userAgent)) return null;
	const brand = brands?.find((b) => b.brand === 'Chromium' || b.brand === 'Google Chrome');
	if (brand) return Number.parseInt(brand.version, 10) || null;
	const match = /\b(?:Chrome|Chromium)\/(\d+)/.exec(userAgent);
	return match ? Number(match[1]) : null;
}

export function currentBrowser(): BrowserFacts {
	const nav = navigator as Navigator & { userAgentData?: { brands?: Brand[] } };
	return {
		chromium: chromiumMajor(nav.userAgent, nav.userAgentData?.brands),
		pageOrigin: location.origin,
		secureContext: globalThis.isSecureContext === true
	};
}

/**
 * The Local Network Access permission. Chromium 145 split it into `local-network` (and `loopback-network`);
 * 142–144 call it `local-network-access`; other browsers reject both names.
 */
export async function queryLocalNetworkPermission(): Promise<PermissionState | 'unsupported'> {
	const permissions = globalThis.navigator?.permissions;
	if (!permissions) return 'unsupported';
	for (const name of ['local-network', 'local-network-access']) {
		try {
			return (await permissions.query({ name } as unknown as PermissionDescriptor)).state;
		} catch {
			// Unknown permission name in this browser: try the older one.
		}
	}
	return 'unsupported';
}
