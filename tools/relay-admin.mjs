// The owner's side of the relay admin API, shared by `npm run pair` (tools/pair.ts) and `npm start` (tools/start.mjs).
// Plain JavaScript so start.mjs can use it without a TypeScript loader.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import QRCode from 'qrcode';

export const DEV_VARS = '.dev.vars';

/**
 * ADMIN_SECRET from the environment, else from .dev.vars (where `npm start` keeps the local one).
 * @returns {string | null}
 */
export function readAdminSecret(file = DEV_VARS) {
	if (process.env.ADMIN_SECRET) return process.env.ADMIN_SECRET;
	if (!existsSync(file)) return null;
	const match = /^ADMIN_SECRET\s*=\s*"?([^"\n]+)"?\s*$/m.exec(readFileSync(file, 'utf8'));
	return match ? match[1].trim() : null;
}

/** Creates .dev.vars with a random ADMIN_SECRET when it has none; returns the secret in force. */
export function ensureDevAdminSecret(file = DEV_VARS) {
	const existing = existsSync(file) ? readFileSync(file, 'utf8') : '';
	const found = /^ADMIN_SECRET\s*=\s*"?([^"\n]+)"?\s*$/m.exec(existing);
	if (found) return found[1].trim();
	const secret = randomBytes(24).toString('base64url');
	const sep = existing === '' || existing.endsWith('\n') ? '' : '\n';
	writeFileSync(file, `${existing}${sep}ADMIN_SECRET="${secret}"\n`, { mode: 0o600 });
	return secret;
}

/**
 * @param {string} relay origin of the relay
 * @param {string} secret the ADMIN_SECRET
 * @param {'GET' | 'POST' | 'DELETE'} method
 * @param {string} path
 * @returns {Promise<unknown>}
 */
async function admin(relay, secret, method, path) {
	const res = await fetch(`${relay.replace(/\/+$/, '')}${path}`, { method, headers: { Authorization: `Bearer ${secret}` } });
	if (res.status === 401) throw new Error('The relay refused the admin secret (ADMIN_SECRET differs from the one the relay was started or deployed with).');
	if (res.status === 429) throw new Error('Too many failed attempts from this address: wait a minute.');
	if (!res.ok) {
		const body = /** @type {{message?: string} | null} */ (await res.json().catch(() => null));
		throw new Error(body?.message ?? `The relay answered ${res.status} to ${method} ${path}.`);
	}
	return res.status === 204 ? null : res.json();
}

/**
 * @param {string} relay
 * @param {string} secret
 * @returns {Promise<{code: string, expiresAt: number}>}
 */
export async function createPairingCode(relay, secret) {
	return /** @type {{code: string, expiresAt: number}} */ (await admin(relay, secret, 'POST', '/relay/admin/codes'));
}

/**
 * @param {string} relay
 * @param {string} secret
 */
export function listDevices(relay, secret) {
	return admin(relay, secret, 'GET', '/relay/admin/devices');
}

/**
 * @param {string} relay
 * @param {string} secret
 * @param {string} deviceId
 */
export function revokeDevice(relay, secret, deviceId) {
	return admin(relay, secret, 'DELETE', `/relay/admin/devices/${encodeURIComponent(deviceId)}`);
}

/**
 * @param {string} appOrigin
 * @param {string} code
 */
export function pairingLinkFor(appOrigin, code) {
	return `${appOrigin.replace(/\/+$/, '')}/pair#code=${code}`;
}

/**
 * The link and a QR code a phone camera can read off the terminal.
 * @param {string} link
 * @param {number} expiresAt
 */
export async function printPairing(link, expiresAt) {
	const qr = await QRCode.toString(link, { type: 'terminal', small: true, errorCorrectionLevel: 'M' });
	const minutes = Math.round((expiresAt - Date.now()) / 60_000);
	console.log(`\n${qr}\nPair a phone: open this link on it (or scan the code above). It works once, for ${minutes} minutes:\n\n  ${link}\n`);
}
