// Push subscriptions, one per paired device, in the Durable Object's SQLite, and the check every endpoint passes
// before it is stored. The relay later POSTs to that endpoint on its own, so an unchecked URL would make it an
// open proxy (any host, any port, the owner's internal network): only https on the known push services is taken.
import { fromBase64Url } from './crypto';

/**
 * The push services of the browsers that can install the app: Chrome/Android (FCM), Firefox (Mozilla autopush),
 * Safari/iOS 16.4+ (web.push.apple.com and its regional hosts), Edge (WNS, e.g. wns2-par02p.notify.windows.com).
 */
const EXACT_HOSTS = ['fcm.googleapis.com', 'updates.push.services.mozilla.com'];
const HOST_SUFFIXES = ['.push.apple.com', '.notify.windows.com'];
export const MAX_ENDPOINT_LENGTH = 1024;
export const MAX_SUBSCRIPTION_BODY = 4096;

export interface PushSubscriptionRecord {
	deviceId: string;
	endpoint: string;
	p256dh: string;
	auth: string;
	/** The VAPID `sub`: VAPID_SUBJECT, else the https origin the phone subscribed through. */
	subject: string;
	/** Which prompts the device wants pushes for: the ones it queued, or all (the default, as before shared runs). */
	scope?: PushScope;
}

export type PushScope = 'mine' | 'all';

export function pushScopeOf(body: unknown): PushScope {
	return typeof body === 'object' && body !== null && (body as { scope?: unknown }).scope === 'mine' ? 'mine' : 'all';
}

export type ParsedSubscription = { ok: true; endpoint: string; p256dh: string; auth: string } | { ok: false; message: string };

/** `testOrigin` (PUSH_TEST_ORIGIN, set only by the relay's tests) admits the tests' local fake push service. */
export function allowedEndpoint(raw: string, testOrigin?: string): string | null {
	if (raw.length > MAX_ENDPOINT_LENGTH) return null;
	let url: URL;
	try {
		url = new URL(raw);
	} catch {
		return null;
	}
	if (testOrigin && url.origin === testOrigin && !url.username && !url.password) return url.href;
	if (url.protocol !== 'https:' || url.username || url.password || url.port) return null;
	const host = url.hostname.toLowerCase();
	const known = EXACT_HOSTS.includes(host) || HOST_SUFFIXES.some((suffix) => host.endsWith(suffix) && host.length > suffix.length);
	return known ? url.href : null;
}

export function parseSubscription(body: unknown, testOrigin?: string): ParsedSubscription {
	const { endpoint, keys } = (typeof body === 'object' && body !== null ? body : {}) as { endpoint?: unknown; keys?: { p256dh?: unknown; auth?: unknown } };
	if (typeof endpoint !== 'string') return { ok: false, message: 'The subscription needs an "endpoint" string.' };
	const allowed = allowedEndpoint(endpoint, testOrigin);
	if (!allowed) {
		return {
			ok: false,
			message: 'The endpoint must be an https URL of a known push service (fcm.googleapis.com, updates.push.services.mozilla.com, *.push.apple.com, *.notify.windows.com).'
		};
	}
	const p256dh = typeof keys?.p256dh === 'string' ? fromBase64Url(keys.p256dh) : null;
	if (!p256dh || p256dh.byteLength !== 65 || p256dh[0] !== 0x04) return { ok: false, message: 'keys.p256dh must be an uncompressed P-256 point (65 bytes, base64url).' };
	const auth = typeof keys?.auth === 'string' ? fromBase64Url(keys.auth) : null;
	if (!auth || auth.byteLength !== 16) return { ok: false, message: 'keys.auth must be 16 bytes, base64url.' };
	return { ok: true, endpoint: allowed, p256dh: keys!.p256dh as string, auth: keys!.auth as string };
}

type Row = { device_id: string; endpoint: string; p256dh: string; auth: string; subject: string; scope: string | null };

export class PushSubscriptions {
	constructor(private readonly sql: SqlStorage) {
		sql.exec(`CREATE TABLE IF NOT EXISTS push_subscriptions (
			device_id TEXT PRIMARY KEY, endpoint TEXT NOT NULL, p256dh TEXT NOT NULL, auth TEXT NOT NULL,
			subject TEXT NOT NULL, created_at INTEGER NOT NULL)`);
		// Relays deployed before shared runs have the table without the scope column.
		if (!sql.exec<{ name: string }>('PRAGMA table_info(push_subscriptions)').toArray().some((c) => c.name === 'scope')) {
			sql.exec('ALTER TABLE push_subscriptions ADD COLUMN scope TEXT');
		}
	}

	/** A device's new subscription replaces its old one (a browser has one per app and server key). */
	put(record: PushSubscriptionRecord, now = Date.now()): void {
		this.sql.exec(
			'INSERT OR REPLACE INTO push_subscriptions (device_id, endpoint, p256dh, auth, subject, created_at, scope) VALUES (?, ?, ?, ?, ?, ?, ?)',
			record.deviceId,
			record.endpoint,
			record.p256dh,
			record.auth,
			record.subject,
			now,
			record.scope ?? 'all'
		);
	}

	/** True when the device had one. */
	remove(deviceId: string): boolean {
		return this.sql.exec('DELETE FROM push_subscriptions WHERE device_id = ?', deviceId).rowsWritten > 0;
	}

	/** Only if it still is the one that failed: the phone may have resubscribed meanwhile. */
	removeEndpoint(deviceId: string, endpoint: string): void {
		this.sql.exec('DELETE FROM push_subscriptions WHERE device_id = ? AND endpoint = ?', deviceId, endpoint);
	}

	forDevice(deviceId: string): PushSubscriptionRecord | null {
		return this.list().find((s) => s.deviceId === deviceId) ?? null;
	}

	list(): PushSubscriptionRecord[] {
		return this.sql
			.exec<Row>('SELECT device_id, endpoint, p256dh, auth, subject, scope FROM push_subscriptions ORDER BY created_at')
			.toArray()
			.map((r) => ({ deviceId: r.device_id, endpoint: r.endpoint, p256dh: r.p256dh, auth: r.auth, subject: r.subject, scope: r.scope === 'mine' ? 'mine' : 'all' }));
	}
}
