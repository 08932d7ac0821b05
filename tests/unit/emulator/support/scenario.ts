// Drives the emulator the way the capture scenarios drove the real server: the capture's client ids and prompts.
import type { ApiPrompt } from '../../../../src/lib/comfy/types';

export const A = 'probe-client-A';
export const B = 'probe-client-B';
export const C = 'probe-client-C';

export function slowNoise(steps: number, prefix: string, extra: Record<string, unknown> = {}): ApiPrompt {
	return {
		'1': {
			class_type: 'SlowNoiseImage',
			inputs: { steps, seed: 1, width: 256, height: 256, text: 'a cat', delay_ms: 300, preview_format: 'JPEG', ...extra }
		},
		'2': { class_type: 'SaveImage', inputs: { images: ['1', 0], filename_prefix: prefix } }
	};
}

export async function post(base: string, path: string, body: unknown): Promise<globalThis.Response> {
	return fetch(`${base}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
}

export async function queuePrompt(base: string, prompt: ApiPrompt, clientId?: string): Promise<string> {
	const res = await post(base, '/prompt', clientId ? { prompt, client_id: clientId } : { prompt });
	const body = (await res.json()) as { prompt_id?: string };
	if (res.status !== 200 || !body.prompt_id) throw new Error(`queueing failed: ${res.status} ${JSON.stringify(body)}`);
	return body.prompt_id;
}

export function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}
