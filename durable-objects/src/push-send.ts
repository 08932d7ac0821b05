// Tells every subscribed phone that a prompt ended, even when its app is closed: one encrypted Web Push message per
// subscription, sent after the phones on sockets already have the event. Subscriptions the push service calls gone
// (404/410) are deleted; any other failure only loses this one notice.
import type { RelayResult } from '../../src/lib/relay/protocol';
import { fromBase64Url } from './crypto';
import { encryptPushPayload, vapidAuthorization } from './push-crypto';
import type { VapidKeys } from './push-keys';
import type { PushSubscriptionRecord, PushSubscriptions } from './push-subscriptions';

/** A run's end is stale news after an hour; the push service drops it rather than deliver it late. */
export const PUSH_TTL_SECONDS = 3600;
const SEND_TIMEOUT_MS = 10_000;

/** What the service worker (static/push.js) receives. */
export interface PushNotice {
	promptId: string;
	status: RelayResult['status'];
	title?: string;
}

export interface PushSender {
	keys(): Promise<VapidKeys>;
	subscriptions: PushSubscriptions;
	/** VAPID_SUBJECT, when the owner set one; otherwise each subscription's own origin. */
	subject?: string;
	fetch?: typeof fetch;
}

export type SendOutcome = 'sent' | 'gone' | 'failed';

export const MAX_TITLE_LENGTH = 80;

/** A phone's label as a notification title: one line, no control characters, at most 80 characters; else none. */
export function pushTitle(value: unknown): string | undefined {
	if (typeof value !== 'string') return undefined;
	const line = value.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ').replace(/\s+/g, ' ').trim();
	return line ? line.slice(0, MAX_TITLE_LENGTH) : undefined;
}

/** `ownerId`: the device that queued the prompt; subscriptions for "my runs" of other devices are skipped. */
export async function notifyPromptEnd(sender: PushSender, result: RelayResult, title?: string, ownerId?: string): Promise<SendOutcome[]> {
	const subscriptions = sender.subscriptions.list().filter((s) => s.scope !== 'mine' || s.deviceId === ownerId);
	if (subscriptions.length === 0) return [];
	const notice: PushNotice = { promptId: result.promptId, status: result.status };
	if (title) notice.title = title;
	const keys = await sender.keys();
	return Promise.all(subscriptions.map((s) => sendOne(sender, keys, s, notice)));
}

async function sendOne(sender: PushSender, keys: VapidKeys, subscription: PushSubscriptionRecord, notice: PushNotice): Promise<SendOutcome> {
	try {
		const p256dh = fromBase64Url(subscription.p256dh);
		const auth = fromBase64Url(subscription.auth);
		if (!p256dh || !auth) return 'failed';
		const body = await encryptPushPayload(new TextEncoder().encode(JSON.stringify(notice)), { p256dh, auth });
		const authorization = await vapidAuthorization({
			endpoint: subscription.endpoint,
			subject: sender.subject || subscription.subject,
			privateKey: keys.privateKey,
			publicKey: keys.publicKey
		});
		const res = await (sender.fetch ?? fetch)(subscription.endpoint, {
			method: 'POST',
			headers: {
				Authorization: authorization,
				'Content-Encoding': 'aes128gcm',
				'Content-Type': 'application/octet-stream',
				TTL: String(PUSH_TTL_SECONDS),
				Urgency: 'normal'
			},
			body,
			// Push services answer 201 and nothing else worth following; a redirect would leave the checked host.
			redirect: 'manual',
			signal: AbortSignal.timeout(SEND_TIMEOUT_MS)
		});
		await res.body?.cancel();
		if (res.status === 404 || res.status === 410) {
			sender.subscriptions.removeEndpoint(subscription.deviceId, subscription.endpoint);
			return 'gone';
		}
		return res.ok ? 'sent' : 'failed';
	} catch {
		return 'failed';
	}
}
