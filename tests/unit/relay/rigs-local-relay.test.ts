// The phone side against a real relay with two rigs: the Worker bundle in workerd (Miniflare), one emulator per rig.
// Pairing reads both rigs, and a rig's transport reaches that rig's ComfyUI only, API and socket alike.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { fetchRigNames, pairedServers } from '../../../src/lib/relay/pairing';
import { createRelayTransport } from '../../../src/lib/relay/relay-transport';
import type { ComfyTransport } from '../../../src/lib/comfy/transport';
import type { ApiPrompt } from '../../../src/lib/comfy/types';
import { startEmulator, type Emulator } from '../../../tools/comfy-emulator/server';
import { pairDevice, startLocalRelay, type LocalRelay } from '../../../tools/relay-worker';

let home: Emulator;
let attic: Emulator;
let relay: LocalRelay;
let device: { deviceId: string; token: string };
const open: ComfyTransport[] = [];

beforeAll(async () => {
	home = await startEmulator({ port: 0, models: { checkpoints: ['home.safetensors'] } });
	attic = await startEmulator({ port: 0, models: { checkpoints: ['attic.safetensors'] } });
	relay = await startLocalRelay({ comfyUrl: home.url, bindings: { RIGS: JSON.stringify({ attic: attic.url }) } });
	device = await pairDevice(relay, 'rigs');
}, 60_000);

afterAll(async () => {
	for (const t of open) t.events.close();
	await relay?.dispose();
	await home?.close();
	await attic?.close();
});

function transportFor(rig?: string): ComfyTransport {
	const transport = createRelayTransport({ origin: relay.url, ...device, rig, WebSocketImpl: WebSocket as unknown as typeof globalThis.WebSocket });
	open.push(transport);
	return transport;
}

async function until(check: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!check()) {
		if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
		await new Promise((r) => setTimeout(r, 25));
	}
}

describe('a phone paired with a relay of two rigs', () => {
	it('learns both rigs and would save one server each', async () => {
		const rigs = await fetchRigNames(relay.url, device.token);
		expect(rigs).toEqual(['default', 'attic']);
		expect(pairedServers({ origin: relay.url, ...device }, 'Relay', rigs).map((s) => [s.name, s.rig])).toEqual([
			['Relay', undefined],
			['Relay · attic', 'attic']
		]);
	});

	it('reaches each rig’s own ComfyUI through that rig’s transport, and its socket goes live there', async () => {
		const atticTransport = transportFor('attic');
		const homeTransport = transportFor();
		expect(await atticTransport.api.listModels('checkpoints')).toEqual(['attic.safetensors']);
		expect(await homeTransport.api.listModels('checkpoints')).toEqual(['home.safetensors']);
		atticTransport.events.connect();
		await until(() => atticTransport.events.state.status === 'live', 'attic live');
		const prompt: ApiPrompt = {
			'1': { class_type: 'SlowNoiseImage', inputs: { steps: 2, seed: Date.now() % 1e9, width: 64, height: 64, text: 'rig', delay_ms: 10, preview_format: 'JPEG' } },
			'2': { class_type: 'SaveImage', inputs: { images: ['1', 0], filename_prefix: 'rig' } }
		};
		const { prompt_id } = await atticTransport.api.queuePrompt({ prompt, clientId: atticTransport.clientId });
		const ended: string[] = [];
		atticTransport.events.subscribe((e) => e.type === 'message' && e.message.type === 'execution_success' && ended.push(e.message.data.prompt_id));
		await until(() => ended.includes(prompt_id) || attic.history()[prompt_id] !== undefined, 'the run ended on the attic rig');
		expect(attic.queuedPromptIds()).toContain(prompt_id);
		expect(home.queuedPromptIds()).not.toContain(prompt_id);
	});
});
