// Pairs this device with the relay named in the page's link, saves it as a server and makes it the active one.
import { session } from '$lib/app/session.svelte';
import { deviceNameFromUserAgent, pairWithRelay, parsePairingLink } from '$lib/relay/pairing';
import { listServers, saveServer } from '$lib/storage';

export type PairOutcome = { ok: true; name: string } | { ok: false; error: string };

export async function pairFromLocation(href: string, origin: string, userAgent: string): Promise<PairOutcome> {
	const link = parsePairingLink(href, origin);
	if (!link) return { ok: false, error: 'This link has no pairing code. Open the link printed by `npm run pair` (or scan its QR code) again.' };
	const paired = await pairWithRelay(link, deviceNameFromUserAgent(userAgent));
	if (!paired.ok) return paired;
	try {
		const host = new URL(paired.origin).host;
		// Pairing the same relay again replaces the old entry instead of piling up dead tokens.
		const existing = (await listServers()).find((s) => s.kind === 'relay' && s.baseUrl === paired.origin);
		const server = await saveServer({
			id: existing?.id,
			kind: 'relay',
			name: existing?.name ?? `Relay ${host}`,
			baseUrl: paired.origin,
			deviceId: paired.deviceId,
			token: paired.token
		});
		await session.reloadServers(server.id);
		return { ok: true, name: server.name };
	} catch (error) {
		return { ok: false, error: `Paired, but this device could not save the server: ${error instanceof Error ? error.message : String(error)}` };
	}
}
