// `GET /relay/info`: whether the relay serves a simulated ComfyUI (npm run demo), shown in the status pill.

export interface RelayInfo {
	simulated: boolean;
}

/** null when the relay cannot be asked (offline, revoked token): the pill then simply does not say "simulated". */
export async function fetchRelayInfo(origin: string, token: string, fetchImpl: typeof fetch = fetch): Promise<RelayInfo | null> {
	try {
		const response = await fetchImpl(`${origin.replace(/\/+$/, '')}/relay/info`, {
			headers: { Authorization: `Bearer ${token}` },
			signal: AbortSignal.timeout(6000)
		});
		if (!response.ok) return null;
		const body: unknown = await response.json();
		return { simulated: !!body && typeof body === 'object' && (body as { simulated?: unknown }).simulated === true };
	} catch {
		return null;
	}
}
