// Devices, pairing codes and WebSocket tickets, in the Durable Object's SQLite. Only SHA-256 digests of
// secrets are stored; a device token is `<deviceId>.<secret>` so the device row is found without the secret.
import type { DeviceInfo, PairResponse, PairingCode, TicketResponse } from '../../src/lib/relay/protocol';
import { TICKET_TTL_MS } from '../../src/lib/relay/protocol';
import { matchesHash, randomCode, randomToken, sha256Hex } from './crypto';

export const PAIRING_CODE_TTL_MS = 10 * 60_000;
const LAST_SEEN_RESOLUTION_MS = 60_000;
/** Unused tickets a device may hold at once (one per tab or reconnect in flight is the normal case). */
export const MAX_TICKETS_PER_DEVICE = 8;
/** A digest no secret hashes to in practice; compared against when the device id is unknown. */
const UNKNOWN_DEVICE_HASH = '0'.repeat(64);

export function createCredentialTables(sql: SqlStorage): void {
	sql.exec(`CREATE TABLE IF NOT EXISTS devices (
		device_id TEXT PRIMARY KEY, secret_hash TEXT NOT NULL, name TEXT NOT NULL,
		created_at INTEGER NOT NULL, last_seen_at INTEGER)`);
	sql.exec(`CREATE TABLE IF NOT EXISTS pairing_codes (
		code_hash TEXT PRIMARY KEY, expires_at INTEGER NOT NULL, used_at INTEGER)`);
	sql.exec(`CREATE TABLE IF NOT EXISTS tickets (
		ticket_hash TEXT PRIMARY KEY, device_id TEXT NOT NULL, expires_at INTEGER NOT NULL)`);
}

/** The name a phone gives itself, as shown in the owner's terminal (`npm run pair -- --list`): no escape sequences. */
function deviceLabel(name: string): string {
	return name.replace(/[\u0000-\u001f\u007f-\u009f]/g, '').trim().slice(0, 80) || 'Phone';
}

type DeviceRow = { device_id: string; secret_hash: string; name: string; created_at: number; last_seen_at: number | null };

export class Credentials {
	constructor(
		private readonly sql: SqlStorage,
		private readonly now: () => number = Date.now
	) {}

	async createPairingCode(ttlMs = PAIRING_CODE_TTL_MS): Promise<PairingCode> {
		const code = randomCode();
		const expiresAt = this.now() + ttlMs;
		this.sql.exec('DELETE FROM pairing_codes WHERE expires_at < ?', this.now());
		this.sql.exec('INSERT INTO pairing_codes (code_hash, expires_at) VALUES (?, ?)', await sha256Hex(code), expiresAt);
		return { code, expiresAt };
	}

	/** Exchanges a valid, unused, unexpired code for a new device; null otherwise. A code works once. */
	async redeemPairingCode(code: string, name: string): Promise<PairResponse | null> {
		const hash = await sha256Hex(code);
		const row = this.sql
			.exec<{ expires_at: number; used_at: number | null }>('SELECT expires_at, used_at FROM pairing_codes WHERE code_hash = ?', hash)
			.toArray()[0];
		if (!row || row.used_at !== null || row.expires_at < this.now()) return null;
		this.sql.exec('UPDATE pairing_codes SET used_at = ? WHERE code_hash = ?', this.now(), hash);
		const deviceId = randomToken(12);
		const secret = randomToken(32);
		this.sql.exec(
			'INSERT INTO devices (device_id, secret_hash, name, created_at) VALUES (?, ?, ?, ?)',
			deviceId,
			await sha256Hex(secret),
			deviceLabel(name),
			this.now()
		);
		return { deviceId, token: `${deviceId}.${secret}` };
	}

	/** The device a bearer token belongs to, or null. The secret is compared in constant time. */
	async verifyToken(token: string): Promise<string | null> {
		const dot = token.indexOf('.');
		if (dot <= 0) return null;
		const deviceId = token.slice(0, dot);
		const row = this.sql.exec<DeviceRow>('SELECT * FROM devices WHERE device_id = ?', deviceId).toArray()[0];
		// Hash and compare even for an unknown device, so timing does not tell which device ids exist.
		const matches = await matchesHash(token.slice(dot + 1), row?.secret_hash ?? UNKNOWN_DEVICE_HASH);
		if (!row || !matches) return null;
		const now = this.now();
		if (row.last_seen_at === null || now - row.last_seen_at > LAST_SEEN_RESOLUTION_MS) {
			this.sql.exec('UPDATE devices SET last_seen_at = ? WHERE device_id = ?', now, deviceId);
		}
		return deviceId;
	}

	listDevices(): DeviceInfo[] {
		return this.sql
			.exec<DeviceRow>('SELECT * FROM devices ORDER BY created_at')
			.toArray()
			.map((r) => ({ deviceId: r.device_id, name: r.name, createdAt: r.created_at, lastSeenAt: r.last_seen_at }));
	}

	/** True when the device existed. Its tickets go with it. */
	revokeDevice(deviceId: string): boolean {
		const existed = this.sql.exec('SELECT 1 FROM devices WHERE device_id = ?', deviceId).toArray().length > 0;
		this.sql.exec('DELETE FROM devices WHERE device_id = ?', deviceId);
		this.sql.exec('DELETE FROM tickets WHERE device_id = ?', deviceId);
		return existed;
	}

	async issueTicket(deviceId: string): Promise<TicketResponse> {
		const ticket = randomToken(24);
		const expiresAt = this.now() + TICKET_TTL_MS;
		this.sql.exec('DELETE FROM tickets WHERE expires_at < ?', this.now());
		this.sql.exec('INSERT INTO tickets (ticket_hash, device_id, expires_at) VALUES (?, ?, ?)', await sha256Hex(ticket), deviceId, expiresAt);
		// A stolen or buggy token asking for tickets in a loop must not grow storage: older unused ones give way.
		this.sql.exec(
			`DELETE FROM tickets WHERE device_id = ? AND ticket_hash NOT IN
				(SELECT ticket_hash FROM tickets WHERE device_id = ? ORDER BY rowid DESC LIMIT ?)`,
			deviceId,
			deviceId,
			MAX_TICKETS_PER_DEVICE
		);
		return { ticket, expiresAt };
	}

	/** Consumes a ticket: valid once, only before it expires, only while its device is still paired. */
	async redeemTicket(ticket: string): Promise<string | null> {
		const hash = await sha256Hex(ticket);
		const row = this.sql
			.exec<{ device_id: string; expires_at: number }>('SELECT device_id, expires_at FROM tickets WHERE ticket_hash = ?', hash)
			.toArray()[0];
		if (!row) return null;
		this.sql.exec('DELETE FROM tickets WHERE ticket_hash = ?', hash);
		if (row.expires_at < this.now()) return null;
		const paired = this.sql.exec('SELECT 1 FROM devices WHERE device_id = ?', row.device_id).toArray().length > 0;
		return paired ? row.device_id : null;
	}
}
