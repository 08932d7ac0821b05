// Pairs this device with the relay named in the page's link, saves it as a server and makes it the active one.
import { m } from '$lib/i18n';
import { session } from '$lib/app/session.svelte';
import { deviceNameFromUserAgent, pairsElsewhere, pairWithRelay, parsePairingLink } from '$lib/relay/pairing';
import { listServers, saveServer } from '$lib/storage';
import { attachOffers } from '$lib/app/paths/offers.svelte';

export type PairOutcome = { ok: true; name: string } | { ok: false; error: string };

/** Does this page address carry a pairing code (it was opened from a pairing link or QR code)? */
export function hasPairingCode(href: string, origin: string): boolean {
	return parsePairingLink(href, origin) !== null;
}

/** The host of the relay an opened link would pair with, when it is not this site's (the user must see it first). */
export function otherRelayHost(href: string, origin: string): string | null {
	const link = parsePairingLink(href, origin);
	return link && pairsElsewhere(link, origin) ? new URL(link.origin).host : null;
}

/** `text` is the page's own address, or a pairing link the user pasted. */
export async function pairFromLink(text: string, origin: string, userAgent: string): Promise<PairOutcome> {
	const link = parsePairingLink(text, origin);
	if (!link) return { ok: false, error: m.pair_not_a_link() };
	const paired = await pairWithRelay(link, deviceNameFromUserAgent(userAgent));
	if (!paired.ok) return paired;
	try {
		const host = new URL(paired.origin).host;
		// Pairing the same relay again replaces the old entry instead of piling up dead tokens.
		const existing = (await listServers()).find((s) => s.kind === 'relay' && s.baseUrl === paired.origin);
		const server = await saveServer({
			id: existing?.id,
			kind: 'relay',
			name: existing?.name ?? m.pair_relay_name({ host }),
			baseUrl: paired.origin,
			deviceId: paired.deviceId,
			token: paired.token
		});
		await session.reloadServers(server.id);
		// The same ComfyUI as a saved LAN server? Offer to attach the relay to it (shown in Settings → Servers).
		void attachOffers.check({ kind: 'relay', baseUrl: server.baseUrl, deviceId: server.deviceId, token: server.token }, server.id);
		return { ok: true, name: server.name };
	} catch (error) {
		return { ok: false, error: m.pair_save_failed({ error: error instanceof Error ? error.message : String(error) }) };
	}
}
