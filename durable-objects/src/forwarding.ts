// How the Worker hands a request to a relay object: small bodies as bytes (withBufferedBody), and the internal
// requests it makes for a device it has verified (vouched), which name that device and, for a rig's object, the rig.
import { DEVICE_HEADER, DEVICE_NAME_HEADER, RIG_HEADER } from './internal-headers';
import { MAX_SUBSCRIPTION_BODY } from './push-subscriptions';
import { PAIR_BODY_LIMIT } from './relay-control';
import { readPrefix } from './responses';
import type { VerifiedDevice } from './relay-host';
import type { Rig } from './rigs';

/**
 * The relay's own routes take small bodies (pairing, a push subscription: 4 KiB at most). The Worker
 * reads them here and hands the Durable Object bytes, not the client's stream. Passing the stream on left the runtime
 * pumping it into the object after the object had answered without reading it (every refusal does: a 401, a 429,
 * an oversized body): "Can't read from request stream after response has been sent", thrown where no one catches
 * it, broke the connection another request was using (`wrangler dev` answered it 503). A body over the limit is cut
 * at limit + 1 bytes, which the object refuses as too large, and the rest is never read.
 */
export async function withBufferedBody(request: Request, url: string = request.url): Promise<Request> {
	const CONTROL_BODY_LIMIT = Math.max(PAIR_BODY_LIMIT, MAX_SUBSCRIPTION_BODY);
	if (request.body === null) return url === request.url ? request : new Request(url, request);
	const headers = new Headers(request.headers);
	headers.delete('Content-Length');
	headers.delete('Transfer-Encoding');
	const takesBody = request.method === 'POST' || request.method === 'PUT';
	const body = takesBody ? await readPrefix(request, CONTROL_BODY_LIMIT + 1) : null;
	if (!takesBody) await request.body.cancel();
	return new Request(url, { method: request.method, headers, body });
}

/**
 * Headers of an internal request for a verified device, addressed to the default rig's object or to `rig`'s. A rig's
 * object also gets the device's name: it keeps no devices, yet names who queued a run on the shared live view.
 */
export function vouchedHeaders(device: VerifiedDevice, rig: Rig | null, init: HeadersInit = {}): Headers {
	const headers = new Headers(init);
	headers.set(DEVICE_HEADER, device.deviceId);
	if (rig && !rig.isDefault) {
		headers.set(RIG_HEADER, rig.name);
		if (device.deviceName) headers.set(DEVICE_NAME_HEADER, encodeURIComponent(device.deviceName));
	}
	return headers;
}
