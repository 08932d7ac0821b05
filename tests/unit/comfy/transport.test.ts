import { describe, expect, it } from 'vitest';
import { createDirectTransport } from '$lib/comfy/transport';
import { ComfyApi } from '$lib/comfy/http';
import { ComfySocket } from '$lib/comfy/socket';
import { ComfyError, toComfyError } from '$lib/comfy/errors';
import { randomId } from '$lib/comfy/ids';
import { asWebSocket, FakeWebSocket } from './fake-websocket';

describe('createDirectTransport', () => {
	it('pairs a ComfyApi and a ComfySocket on the same server with the same client id', async () => {
		FakeWebSocket.reset();
		const seen: string[] = [];
		const fetch = (async (input: RequestInfo | URL) => {
			seen.push(String(input));
			return Response.json({ supports_preview_metadata: true });
		}) as typeof globalThis.fetch;
		const transport = createDirectTransport({ baseUrl: 'http://10.0.0.5:8188', clientId: 'phone-1', WebSocketImpl: asWebSocket, fetch });
		expect(transport.kind).toBe('direct');
		expect(transport.clientId).toBe('phone-1');
		expect(transport.api).toBeInstanceOf(ComfyApi);
		expect(transport.events).toBeInstanceOf(ComfySocket);
		await transport.api.features();
		transport.events.connect();
		expect(seen).toEqual(['http://10.0.0.5:8188/api/features']);
		expect(FakeWebSocket.last.url).toBe('ws://10.0.0.5:8188/ws?clientId=phone-1');
		expect(transport.events.state.status).toBe('connecting');
		transport.events.close();
		expect(transport.events.state.status).toBe('idle');
	});
});

describe('errors and ids', () => {
	it('wraps anything thrown into a ComfyError, keeping an existing one as it is', () => {
		const original = new ComfyError('timeout', 'slow', { status: 504 });
		expect(toComfyError(original)).toBe(original);
		const wrapped = toComfyError(new TypeError('boom'));
		expect(wrapped).toMatchObject({ kind: 'network', message: 'boom', name: 'ComfyError' });
		expect(wrapped.cause).toBeInstanceOf(TypeError);
		expect(toComfyError('text', 'bad-response')).toMatchObject({ kind: 'bad-response', message: 'text' });
	});

	it('makes distinct version-4 UUIDs without crypto.randomUUID', () => {
		const ids = new Set(Array.from({ length: 1000 }, randomId));
		expect(ids.size).toBe(1000);
		for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
	});
});
