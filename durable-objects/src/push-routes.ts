// The phone's push routes, behind the same device-token check as its other routes: the relay's VAPID public key,
// and storing or dropping the one push subscription of the calling device.
import { parseSubscription, pushScopeOf, MAX_SUBSCRIPTION_BODY } from './push-subscriptions';
import type { PushHost } from './relay-host';
import { badRequest, readLimited, tooLarge } from './responses';

export async function pushKey(relay: PushHost): Promise<Response> {
	const { publicKey } = await relay.pushKeys.get();
	return Response.json({ publicKey });
}

export async function putSubscription(relay: PushHost, request: Request, deviceId: string): Promise<Response> {
	const text = await readLimited(request, MAX_SUBSCRIPTION_BODY);
	if (text === null) return tooLarge();
	let body: unknown;
	try {
		body = JSON.parse(text);
	} catch {
		return badRequest('The body is not valid JSON.');
	}
	const parsed = parseSubscription(body, relay.pushTestOrigin);
	if (!parsed.ok) return badRequest(parsed.message);
	relay.pushSubscriptions.put({
		deviceId,
		endpoint: parsed.endpoint,
		p256dh: parsed.p256dh,
		auth: parsed.auth,
		subject: relay.vapidSubject ?? new URL(request.url).origin,
		scope: pushScopeOf(body)
	});
	return new Response(null, { status: 204 });
}

export async function deleteSubscription(relay: PushHost, deviceId: string): Promise<Response> {
	relay.pushSubscriptions.remove(deviceId);
	return new Response(null, { status: 204 });
}
