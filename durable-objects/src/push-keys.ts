// The relay's VAPID key pair (ECDSA P-256): made on first need and kept in the Durable Object's SQLite, so every
// subscription a phone made keeps working across restarts and deploys. Only the relay ever sees the private key.
import { toBase64Url } from './crypto';

export interface VapidKeys {
	/** Uncompressed public point, base64url: the phone's `applicationServerKey`. */
	publicKey: string;
	privateKey: CryptoKey;
}

type KeyRow = { public_key: string; private_jwk: string };

export class PushKeys {
	#loading: Promise<VapidKeys> | null = null;

	constructor(private readonly sql: SqlStorage) {
		sql.exec('CREATE TABLE IF NOT EXISTS push_keys (id INTEGER PRIMARY KEY CHECK (id = 1), public_key TEXT NOT NULL, private_jwk TEXT NOT NULL)');
	}

	get(): Promise<VapidKeys> {
		// One promise for concurrent callers: two requests on a fresh relay must not each make (and store) a pair.
		this.#loading ??= this.#load().catch((error: unknown) => {
			this.#loading = null;
			throw error;
		});
		return this.#loading;
	}

	async #load(): Promise<VapidKeys> {
		let row = this.#row();
		if (!row) {
			const pair = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify'])) as CryptoKeyPair;
			const publicKey = toBase64Url((await crypto.subtle.exportKey('raw', pair.publicKey)) as ArrayBuffer);
			const jwk = JSON.stringify(await crypto.subtle.exportKey('jwk', pair.privateKey));
			this.sql.exec('INSERT OR IGNORE INTO push_keys (id, public_key, private_jwk) VALUES (1, ?, ?)', publicKey, jwk);
			row = this.#row();
		}
		if (!row) throw new Error('the VAPID key could not be stored');
		const privateKey = await crypto.subtle.importKey('jwk', JSON.parse(row.private_jwk) as JsonWebKey, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign']);
		return { publicKey: row.public_key, privateKey };
	}

	#row(): KeyRow | undefined {
		return this.sql.exec<KeyRow>('SELECT public_key, private_jwk FROM push_keys WHERE id = 1').toArray()[0];
	}
}
