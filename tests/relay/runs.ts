// Running prompts on the emulator through the relay, for the fan-out and recovery tests.
import type { TestPhone } from './support';
import { call } from './support';

let promptCounter = 0;

/** SlowNoiseImage → SaveImage, the captures' S1 graph; a fresh seed so nothing is cached. */
/** `prefix` is a rig's (`/relay/rig/attic`); the default rig's is `/relay`. */
export async function queueRun(token: string, opts: { steps?: number; delayMs?: number; title?: string; prefix?: string } = {}): Promise<string> {
	promptCounter++;
	const promptId = `relay-test-${Date.now()}-${promptCounter}`;
	const prompt = {
		'1': {
			class_type: 'SlowNoiseImage',
			inputs: { steps: opts.steps ?? 6, seed: Date.now() % 1e9, width: 64, height: 64, text: 'relay', delay_ms: opts.delayMs ?? 60, preview_format: 'JPEG' }
		},
		'2': { class_type: 'SaveImage', inputs: { images: ['1', 0], filename_prefix: 'relay' } }
	};
	const extra = opts.title === undefined ? {} : { extra_data: { comfy_pocket_title: opts.title } };
	const res = await call(`${opts.prefix ?? '/relay'}/api/api/prompt`, { method: 'POST', bearer: token, body: JSON.stringify({ prompt, prompt_id: promptId, client_id: 'ignored', ...extra }) });
	const body = await res.text();
	if (res.status !== 200) throw new Error(`prompt: ${res.status} ${body}`);
	const echoed = (JSON.parse(body) as { prompt_id: string }).prompt_id;
	if (echoed !== promptId) throw new Error(`prompt id not kept: ${echoed}`);
	return promptId;
}

function promptOf(m: unknown): string | undefined {
	return (m as { data?: { prompt_id?: string } }).data?.prompt_id;
}

/** Has this phone seen the prompt end (live or rebuilt from history)? */
export function finished(phone: TestPhone, promptId: string): boolean {
	return phone.texts.some((e) => e.t === 'comfy' && ['execution_success', 'execution_error', 'execution_interrupted'].includes((e.m as { type: string }).type) && promptOf(e.m) === promptId);
}

export function sawProgress(phone: TestPhone, promptId: string): boolean {
	return phone.texts.some((e) => e.t === 'comfy' && (e.m as { type: string }).type === 'progress' && promptOf(e.m) === promptId);
}

export async function waitUpstreamLive(phone: TestPhone): Promise<void> {
	await phone.waitFor((p) =>
		p.texts.some((e) => (e.t === 'upstream' && e.state.status === 'live') || (e.t === 'hello' && e.snapshot?.upstream.status === 'live'))
	);
}

export async function cutTunnel(downMs: number): Promise<void> {
	await fetch(`http://127.0.0.1:18189/cut?downMs=${downMs}`);
}

/** Makes every open upstream connection deaf, as ComfyUI's registry hazard would. */
export async function muteTunnel(): Promise<void> {
	await fetch('http://127.0.0.1:18189/mute');
}

/** Per clientId, the most upstream WebSockets the tunnel saw open at once. */
export async function maxSocketsPerClient(): Promise<Record<string, number>> {
	return (await (await fetch('http://127.0.0.1:18189/sockets')).json()) as Record<string, number>;
}
