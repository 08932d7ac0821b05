// What the Relay's parts need of it. Each part is handed one of these narrow views, never the Relay class, so the
// hub (relay.ts) depends on its parts and none of them on the hub; `npm run check:imports` keeps it so.
import type { UpstreamState } from '../../src/lib/relay/protocol';
import type { Credentials } from './credentials';
import type { PhoneHub } from './phone-hub';
import type { PushKeys } from './push-keys';
import type { PushSubscriptions } from './push-subscriptions';
import type { FailureLimiter } from './rate-limit';

/** A device the default rig's object has verified. */
export interface VerifiedDevice {
	deviceId: string;
	/** The name its owner sees in the device list; absent if it has none. */
	deviceName?: string;
}

export type AuthResult = ({ ok: true } & VerifiedDevice) | { ok: false; status: 401 | 429; retryAfterMs?: number };

/** What the push routes use: the VAPID keys and the stored subscriptions. */
export interface PushHost {
	readonly pushKeys: PushKeys;
	readonly pushSubscriptions: PushSubscriptions;
	/** Only the relay's tests set it: the origin of their local fake push service. */
	readonly pushTestOrigin: string | undefined;
	readonly vapidSubject: string | undefined;
}

/** What the relay's own routes (pairing, admin, info, ticket, phone socket, push) use. */
export interface ControlHost extends PushHost {
	readonly credentials: Credentials;
	readonly limiter: FailureLimiter;
	readonly hub: PhoneHub;
	readonly adminSecret: string | undefined;
	readonly simulated: boolean;
	readonly upstream: { readonly state: UpstreamState };
	verifyDevice(token: string | null, address: string): Promise<AuthResult>;
	/** Consumes a phone socket's single-use ticket, under the same failure limit as tokens. */
	redeemTicket(ticket: string | null, address: string): Promise<AuthResult>;
	/** Sends the hello (snapshot or replay) to a newly accepted phone socket. */
	greet(socket: WebSocket, since: number | null, epoch: string | null): void;
}

/** What the Worker calls on the Durable Object's stub. */
export interface RelayRpc extends Rpc.DurableObjectBranded {
	verifyDevice(token: string | null, address: string): Promise<AuthResult>;
	/** The ticket of a rig's phone socket: tickets, like devices, live in the default rig's object. */
	redeemTicket(ticket: string | null, address: string): Promise<AuthResult>;
	fetch(request: Request): Promise<Response>;
}
