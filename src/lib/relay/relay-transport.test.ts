// The phone side against the real relay: the Worker bundle in workerd (Miniflare), the emulator as ComfyUI, and
// the app's own ComfyApi, RelaySocket and JobTracker on top, as a paired phone uses them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { JobTracker } from '../comfy/jobs';
import type { ComfyTransport } from '../comfy/transport';
import type { ApiPrompt } from '../comfy/types';
import { startEmulator, type Emulator } from '../../../tools/comfy-emulator/server';
import { pairDevice, startLocalRelay, type LocalRelay } from '../../../tools/relay-worker';
import { createRelayTransport } from './relay-transport';

let emulator: Emulator;
let relay: LocalRelay;
let device: { deviceId: string; token: string };
const open: ComfyTransport[] = [];

beforeAll(async () => {
	emulator = await startEmulator({ port: 0 });
	relay = await startLocalRelay({ comfyUrl: emulator.url });
	device = await pairDevice(relay, 'integration');
}, 60_000);

afterAll(async () => {
	for (const t of open) t.events.close();
	await relay?.dispose();
	await emulator?.close();
});

function connect(): { transport: ComfyTransport; tracker: JobTracker } {
	const transport = createRelayTransport({ origin: relay.url, ...device, WebSocketImpl: WebSocket as unknown as typeof globalThis.WebSocket });
	const tracker = new JobTracker({ api: transport.api });
	transport.events.subscribe((e) => tracker.handle(e));
	transport.events.connect();
	open.push(transport);
	return { transport, tracker };
}

async function until(check: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!check()) {
		if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
		await new Promise((r) => setTimeout(r, 25));
	}
}

const graph = (seed: number): ApiPrompt => ({
	'1': { class_type: 'SlowNoiseImage', inputs: { steps: 4, seed, width: 64, height: 64, text: 'relay', delay_ms: 40, preview_format: 'JPEG' } },
	'2': { class_type: 'SaveImage', inputs: { images: ['1', 0], filename_prefix: 'relay-it' } }
});

describe('the relay transport against the real relay', () => {
	it('runs a prompt end to end: the JobTracker sees it succeed, and its image comes back through /view', async () => {
		const { transport, tracker } = connect();
		const previews: (string | undefined)[] = [];
		transport.events.subscribe((e) => e.type === 'preview' && previews.push(e.promptId));
		await until(() => transport.events.state.status === 'live', 'relay live');
		const { prompt_id } = await transport.api.queuePrompt({ prompt: graph(Date.now()), clientId: transport.clientId });
		tracker.track(prompt_id);
		await until(() => tracker.get(prompt_id)?.status === 'succeeded', 'job succeeded');
		const job = tracker.get(prompt_id);
		expect(previews.length).toBeGreaterThan(0);
		expect(previews.every((id) => id === prompt_id)).toBe(true);
		const image = job?.outputs['2']?.images?.[0];
		expect(image?.type).toBe('output');
		const blob = await transport.api.fetchView(image!);
		const bytes = new Uint8Array(await blob.arrayBuffer());
		expect(Array.from(bytes.subarray(1, 4))).toEqual([0x50, 0x4e, 0x47]);
	});

	it('gives a phone that connects after the run the result from the snapshot', async () => {
		const first = connect();
		await until(() => first.transport.events.state.status === 'live', 'relay live');
		const { prompt_id } = await first.transport.api.queuePrompt({ prompt: graph(Date.now() + 7), clientId: first.transport.clientId });
		first.tracker.track(prompt_id);
		await until(() => first.tracker.get(prompt_id)?.status === 'succeeded', 'first phone saw success');

		const late = new JobTracker();
		late.track(prompt_id);
		const transport = createRelayTransport({ origin: relay.url, ...device, WebSocketImpl: WebSocket as unknown as typeof globalThis.WebSocket });
		open.push(transport);
		transport.events.subscribe((e) => late.handle(e));
		transport.events.connect();
		await until(() => late.get(prompt_id)?.status === 'succeeded', 'late phone learned the result');
		expect(late.get(prompt_id)?.outputs['2']?.images?.length).toBe(1);
	});

	it('serves the rest of the app’s API through the allowlist: object_info, models, uploads, server workflows', async () => {
		const { transport } = connect();
		const info = await transport.api.getObjectInfo();
		expect(info.SaveImage).toBeDefined();
		expect((await transport.api.listModelFolders()).length).toBeGreaterThan(0);
		const { prompt_id } = await transport.api.queuePrompt({ prompt: graph(Date.now() + 13), clientId: transport.clientId });
		await until(() => emulator.history()[prompt_id] !== undefined, 'the run finished');
		const output = emulator.history()[prompt_id].outputs['2'].images?.[0];
		const png = new Uint8Array(await (await transport.api.fetchView(output!)).arrayBuffer());
		const uploaded = await transport.api.uploadImage(new Blob([png], { type: 'image/png' }), 'from-phone.png');
		expect(uploaded.name).toMatch(/from-phone/);
		const workflows = await transport.api.listUserWorkflows();
		expect(workflows.length).toBeGreaterThan(0);
		const file = await transport.api.getUserWorkflow(workflows[0].path);
		expect(file.length).toBeGreaterThan(0);
		expect((await transport.api.systemStats()).system.comfyui_version).toBeTruthy();
	});
});
