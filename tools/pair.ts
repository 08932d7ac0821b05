// `npm run pair -- --relay https://pocket.example.com`: a one-time pairing link (and QR code) for a new phone.
// Also `--list` (paired devices) and `--revoke DEVICE_ID`. ADMIN_SECRET comes from the environment or .dev.vars.
import { parseArgs } from 'node:util';
import { createPairingCode, listDevices, pairingLinkFor, printPairing, readAdminSecret, revokeDevice } from './relay-admin.mjs';

interface DeviceRow {
	deviceId: string;
	name: string;
	createdAt: number;
	lastSeenAt: number | null;
}

const { values } = parseArgs({
	options: {
		relay: { type: 'string', default: process.env.RELAY_URL ?? 'http://127.0.0.1:8787' },
		app: { type: 'string' },
		list: { type: 'boolean', default: false },
		revoke: { type: 'string' }
	}
});

async function main(): Promise<void> {
	const relay = values.relay ?? 'http://127.0.0.1:8787';
	const secret = readAdminSecret();
	if (!secret) throw new Error('No ADMIN_SECRET: set it in the environment (the value you gave `wrangler secret put ADMIN_SECRET`) or in .dev.vars.');
	if (values.list) {
		const devices = (await listDevices(relay, secret)) as DeviceRow[];
		if (devices.length === 0) console.log('No paired devices.');
		for (const d of devices) {
			const seen = d.lastSeenAt ? new Date(d.lastSeenAt).toISOString() : 'never';
			console.log(`${d.deviceId}  ${d.name}  paired ${new Date(d.createdAt).toISOString()}  last seen ${seen}`);
		}
		return;
	}
	if (values.revoke) {
		await revokeDevice(relay, secret, values.revoke);
		console.log(`Revoked ${values.revoke}: its token no longer works and its open connections were closed.`);
		return;
	}
	const { code, expiresAt } = await createPairingCode(relay, secret);
	await printPairing(pairingLinkFor(values.app ?? relay, code), expiresAt);
}

main().catch((error: unknown) => {
	console.error(`pair: ${error instanceof Error ? error.message : String(error)}`);
	process.exit(1);
});
