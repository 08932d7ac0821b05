// Pairing a phone with a relay: the owner's link (`https://relay.example/pair#code=…`, also shown as a QR code)
// carries a one-time code in the URL fragment, which browsers never send to servers. The phone exchanges it for
// its own device token.
import { DEFAULT_RIG, RIG_NAME, RIGS_PATH, type PairResponse, type RigsResponse } from './protocol';

export interface PairingLink {
	/** Origin of the relay to pair with. */
	origin: string;
	code: string;
}

const CODE = /^[a-z0-9]{8,64}$/;

/**
 * Reads a pairing link or a scanned QR text. `pageOrigin` is used when the fragment does not name another relay
 * (`#code=…&relay=https://…`), which is the usual case: the app and the relay share one origin.
 */
export function parsePairingLink(text: string, pageOrigin?: string): PairingLink | null {
	let url: URL;
	try {
		url = new URL(text.trim(), pageOrigin);
	} catch {
		return null;
	}
	const params = new URLSearchParams(url.hash.replace(/^#/, ''));
	const code = params.get('code')?.trim().toLowerCase() ?? '';
	if (!CODE.test(code)) return null;
	const relay = params.get('relay');
	let target = url;
	if (relay) {
		try {
			target = new URL(relay);
		} catch {
			return null;
		}
	}
	if (!/^https?:$/.test(target.protocol)) return null;
	return { origin: target.origin, code };
}

/**
 * Whether a link opened on `pageOrigin` would pair with a relay elsewhere. Anyone can send such a link, and pairing
 * makes the relay the active server (every prompt and image then goes there), so it must never happen unseen.
 */
export function pairsElsewhere(link: PairingLink, pageOrigin: string): boolean {
	return link.origin !== new URL(pageOrigin).origin;
}

export function pairingLink(origin: string, code: string): string {
	return `${origin.replace(/\/+$/, '')}/pair#code=${encodeURIComponent(code)}`;
}

export type PairResult = { ok: true; origin: string; deviceId: string; token: string } | { ok: false; error: string };

/** Exchanges the code for a device token. Never throws: every failure comes back with a message for the user. */
export async function pairWithRelay(link: PairingLink, deviceName: string, fetchImpl: typeof fetch = fetch): Promise<PairResult> {
	let res: Response;
	try {
		res = await fetchImpl(`${link.origin}/relay/pair`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify({ code: link.code, name: deviceName.slice(0, 80) })
		});
	} catch (error) {
		return { ok: false, error: `Cannot reach the relay at ${link.origin}: ${error instanceof Error ? error.message : String(error)}` };
	}
	if (res.status === 401) return { ok: false, error: 'This pairing code is not valid any more: codes work once and expire after 10 minutes. Ask for a new one (npm run pair).' };
	if (res.status === 429) return { ok: false, error: 'Too many failed attempts from this network. Wait a minute and try again.' };
	if (!res.ok) return { ok: false, error: `The relay answered ${res.status} while pairing.` };
	try {
		const body = (await res.json()) as Partial<PairResponse>;
		if (typeof body.deviceId !== 'string' || typeof body.token !== 'string') throw new Error('missing fields');
		return { ok: true, origin: link.origin, deviceId: body.deviceId, token: body.token };
	} catch {
		return { ok: false, error: 'The relay sent an unexpected answer while pairing.' };
	}
}

/**
 * The rigs of a relay, default first, as `GET /relay/rigs` names them. A relay from before rigs (404), or one whose
 * list cannot be read, has its default rig only: pairing then saves that one, and pairing again adds the others.
 */
export async function fetchRigNames(origin: string, token: string, fetchImpl: typeof fetch = fetch): Promise<string[]> {
	try {
		const res = await fetchImpl(`${origin.replace(/\/+$/, '')}${RIGS_PATH}`, { headers: { Authorization: `Bearer ${token}` } });
		if (!res.ok) return [DEFAULT_RIG];
		const body = (await res.json()) as Partial<RigsResponse>;
		const names = (Array.isArray(body.rigs) ? body.rigs : []).flatMap((r) => (typeof r?.name === 'string' && RIG_NAME.test(r.name) && r.name !== DEFAULT_RIG ? [r.name] : []));
		return [DEFAULT_RIG, ...new Set(names)];
	} catch {
		return [DEFAULT_RIG];
	}
}

/** A server record pairing makes: one per rig of the relay, all with the same device token. */
export interface PairedServer {
	kind: 'relay';
	name: string;
	baseUrl: string;
	deviceId: string;
	token: string;
	/** Absent for the default rig. */
	rig?: string;
}

/** The servers for one pairing: the default rig under `relayName`, each other rig as "<relayName> · <rig>". */
export function pairedServers(paired: { origin: string; deviceId: string; token: string }, relayName: string, rigs: string[]): PairedServer[] {
	const base = { kind: 'relay' as const, baseUrl: paired.origin, deviceId: paired.deviceId, token: paired.token };
	return [DEFAULT_RIG, ...rigs.filter((rig) => rig !== DEFAULT_RIG)].map((rig) =>
		rig === DEFAULT_RIG ? { ...base, name: relayName } : { ...base, name: `${relayName} · ${rig}`, rig }
	);
}

/** A readable default name for the device list the owner sees. */
export function deviceNameFromUserAgent(userAgent: string): string {
	if (/iPhone/.test(userAgent)) return 'iPhone';
	if (/iPad/.test(userAgent)) return 'iPad';
	if (/Android/.test(userAgent)) return 'Android phone';
	if (/Macintosh/.test(userAgent)) return 'Mac';
	if (/Windows/.test(userAgent)) return 'Windows PC';
	return 'Browser';
}
