// Headers only the Worker sets on its requests to the Durable Objects. The Worker strips every `X-Relay-*` header
// from incoming requests (withoutInternalHeaders), so no client can claim a device or pick a rig object with them.

/** The device the Worker verified (with the default rig's object) before forwarding. */
export const DEVICE_HEADER = 'X-Relay-Device';
/** That device's name (URI-encoded), for a rig's object, which keeps no devices of its own. */
export const DEVICE_NAME_HEADER = 'X-Relay-Device-Name';
/** Which configured rig the addressed object serves (rigs.ts); absent for the default rig. */
export const RIG_HEADER = 'X-Relay-Rig';

const INTERNAL_PREFIX = 'x-relay-';

/** The request without any header a client must not set; the same request when it carries none. */
export function withoutInternalHeaders(request: Request): Request {
	const names = [...request.headers.keys()].filter((name) => name.toLowerCase().startsWith(INTERNAL_PREFIX));
	if (names.length === 0) return request;
	const headers = new Headers(request.headers);
	for (const name of names) headers.delete(name);
	return new Request(request, { headers });
}
