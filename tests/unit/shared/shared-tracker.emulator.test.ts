// The shared tracker on a direct LAN socket against the emulator: a prompt queued straight over HTTP by another
// client (as the ComfyUI desktop UI does) is learnt from the queue after the `status` broadcast, shown as running
// someone else's work, and settled with its outputs from /history when it ends; a second prompt waits at position 1.
import WebSocket from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../../tools/comfy-emulator/server';
import { createDirectTransport, type ComfyTransport } from '../../../src/lib/comfy/transport';
import { randomId } from '../../../src/lib/comfy/ids';
import { SharedRunTracker } from '../../../src/lib/app/shared-runs/shared-tracker';

let emulator: Emulator;
let transport: ComfyTransport;

async function until(check: () => boolean, what: string, ms = 15_000): Promise<void> {
	const start = Date.now();
	while (!check()) {
		if (Date.now() - start > ms) throw new Error(`Timed out waiting for ${what}`);
		await new Promise((r) => setTimeout(r, 5));
	}
}

/** Queued the way another client would: its own client_id, a title and a UI workflow in extra_data. */
async function queueElsewhere(steps: number, title: string): Promise<string> {
	const prompt_id = randomId();
	const prompt = {
		'1': { class_type: 'SlowNoiseImage', inputs: { steps, seed: Math.floor(Math.random() * 1e9), width: 64, height: 64, text: 'x', delay_ms: 10, preview_format: 'JPEG' } },
		'2': { class_type: 'SaveImage', inputs: { images: ['1', 0], filename_prefix: 'desk' } }
	};
	const extra_data = { comfy_pocket_title: title, extra_pnginfo: { workflow: { nodes: [], links: [], version: 0.4 } } };
	const res = await fetch(`${emulator.url}/prompt`, { method: 'POST', body: JSON.stringify({ prompt, prompt_id, client_id: 'desktop-ui', extra_data }) });
	expect(res.status).toBe(200);
	return prompt_id;
}

afterEach(async () => {
	transport.events.close();
	await emulator.close();
});

describe('SharedRunTracker on the LAN', () => {
	it('learns of other clients’ prompts from the queue and gets their results from history', async () => {
		emulator = await startEmulator({ stepMs: 40 });
		transport = createDirectTransport({ baseUrl: emulator.url, clientId: randomId(), WebSocketImpl: WebSocket as unknown as typeof globalThis.WebSocket });
		const shared = new SharedRunTracker(transport.api);
		const getQueue = transport.api.getQueue.bind(transport.api);
		let queueReads = 0;
		transport.api.getQueue = () => (queueReads++, getQueue());
		transport.events.subscribe((e) => shared.handle(e));
		transport.events.connect();
		await until(() => transport.events.state.status === 'live', 'the socket');
		await new Promise((r) => setTimeout(r, 100));
		const idle = queueReads;

		const first = await queueElsewhere(15, 'Desk portrait');
		const second = await queueElsewhere(2, 'Desk second');
		await until(() => shared.get(first)?.state.status === 'running', 'the first prompt seen running');
		await until(() => shared.get(second)?.state.queuePosition === 1, 'the second one queued at position 1');
		expect(shared.get(first)).toMatchObject({ title: 'Desk portrait', owner: null, workflow: { version: 0.4 } });
		expect(Object.keys(shared.get(first)?.prompt ?? {})).toEqual(['1', '2']);

		await until(() => shared.get(second)?.state.status === 'succeeded', 'both ended', 20_000);
		const done = shared.get(first)!;
		expect(done.state.status).toBe('succeeded');
		expect(Object.values(done.state.outputs).flatMap((o) => o.images ?? []).length).toBe(1);
		expect(shared.get(second)!.state.outputs['2']?.images?.[0]?.filename).toMatch(/^desk_/);
		// Read only after the server's own announcements, a handful of times, not in a loop.
		expect(queueReads).toBeGreaterThan(idle);
		const settled = queueReads;
		await new Promise((r) => setTimeout(r, 500));
		expect(queueReads).toBe(settled);
	});
});
