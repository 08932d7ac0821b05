// Several rigs, one queue (issue 11): 24 jobs of fixed length (10 sampler steps of 40 ms on the ComfyUI emulator)
// sent through PoolTransport, one after another as Generate ×24 sends them, to pools of 1, 2 and 4 emulated rigs,
// followed by the real JobTracker until the last one ends. Throughput in jobs per minute, side by side in this run;
// target: N rigs ≥ 0.9 × N times one rig. Then the routing decision (routing.ts chooseRig) per job, timed on the
// recorded 385-class /object_info with four rigs, for the corpus's LoRA prompt.
import { readFileSync } from 'node:fs';
import WebSocket from 'ws';
import { createPoolTransport } from '../../src/lib/app/pools/pool-transport';
import { chooseRig, type RigView } from '../../src/lib/app/pools/routing';
import { followJobs } from '../../src/lib/comfy/follow';
import { randomId } from '../../src/lib/comfy/ids';
import { JobTracker } from '../../src/lib/comfy/jobs';
import { createDirectTransport } from '../../src/lib/comfy/transport';
import type { ApiPrompt, ObjectInfo } from '../../src/lib/comfy/types';
import { startEmulator, type Emulator } from '../comfy-emulator/server';

const JOBS = 24;
const STEPS = 10;
const STEP_MS = 40;
const WebSocketImpl = WebSocket as unknown as typeof globalThis.WebSocket;

function job(seed: number): ApiPrompt {
	return {
		'1': { class_type: 'SlowNoiseImage', inputs: { steps: STEPS, seed, width: 64, height: 64, text: 'bench', delay_ms: 0, preview_format: 'JPEG' } },
		'2': { class_type: 'SaveImage', inputs: { images: ['1', 0], filename_prefix: 'rigs' } }
	};
}

/** Jobs per minute for JOBS jobs on `count` fresh rigs, and how many each rig ran. */
async function throughput(count: number): Promise<{ perMin: number; spread: number[] }> {
	const emulators: Emulator[] = [];
	for (let i = 0; i < count; i++) emulators.push(await startEmulator({ stepMs: STEP_MS }));
	const clientId = randomId();
	const pool = createPoolTransport({
		rigs: emulators.map((e, i) => ({ id: `r${i}`, name: `Rig ${i + 1}`, transport: createDirectTransport({ baseUrl: e.url, clientId, WebSocketImpl }) }))
	});
	const tracker = new JobTracker({ api: pool.api });
	const unfollow = followJobs(pool.events, tracker);
	const ended = new Set<string>();
	tracker.subscribe((state) => {
		if (state.status === 'succeeded' || state.status === 'failed' || state.status === 'interrupted') ended.add(state.promptId);
	});
	try {
		pool.events.connect();
		await waitFor(() => pool.rigs().every((r) => r.status === 'live'), 20_000);
		await pool.api.getObjectInfo();
		const started = performance.now();
		for (let i = 0; i < JOBS; i++) {
			const promptId = randomId();
			tracker.track(promptId, {});
			await pool.api.queuePrompt({ prompt: job(i), clientId: pool.clientId, promptId });
		}
		await waitFor(() => ended.size === JOBS, 120_000);
		const minutes = (performance.now() - started) / 60_000;
		return { perMin: JOBS / minutes, spread: emulators.map((e) => e.queuedPromptIds().length) };
	} finally {
		unfollow();
		pool.close();
		await Promise.all(emulators.map((e) => e.close()));
	}
}

async function waitFor(check: () => boolean, ms: number): Promise<void> {
	const until = Date.now() + ms;
	while (!check()) {
		if (Date.now() > until) throw new Error('timed out');
		await new Promise((r) => setTimeout(r, 5));
	}
}

function decisionTimes(): { p50: number; p99: number } {
	const info = JSON.parse(readFileSync('tools/comfy-emulator/assets/object_info.json', 'utf8')) as ObjectInfo;
	const prompt = JSON.parse(readFileSync('tests/fixtures/corpus/workflows/lora__lora_multiple.prompt.json', 'utf8')) as ApiPrompt;
	const rigs: RigView[] = [0, 1, 2, 3].map((i) => ({ id: `r${i}`, name: `Rig ${i}`, objectInfo: info, paused: false, down: false, load: i % 2, msPerJob: 1000 + i }));
	const times: number[] = [];
	for (let i = 0; i < 3000; i++) {
		const t = performance.now();
		chooseRig(prompt, rigs);
		if (i >= 500) times.push((performance.now() - t) * 1000);
	}
	times.sort((a, b) => a - b);
	return { p50: times[Math.floor(times.length * 0.5)], p99: times[Math.floor(times.length * 0.99)] };
}

export async function run(): Promise<string[]> {
	const one = await throughput(1);
	const two = await throughput(2);
	const four = await throughput(4);
	const decision = decisionTimes();
	const f = (n: number) => n.toFixed(0);
	return [
		`rigs: 1 → ${f(one.perMin)} jobs/min, 2 → ${f(two.perMin)} jobs/min, 4 → ${f(four.perMin)} jobs/min`,
		`rigs: speed-up 2 rigs ${(two.perMin / one.perMin).toFixed(2)}× (target ≥ 1.8), 4 rigs ${(four.perMin / one.perMin).toFixed(2)}× (target ≥ 3.6); jobs per rig ${two.spread.join('+')}, ${four.spread.join('+')}`,
		`rigs: routing decision p50 ${decision.p50.toFixed(1)} µs, p99 ${decision.p99.toFixed(1)} µs per job (4 rigs, ${JOBS} jobs of ${STEPS} × ${STEP_MS} ms)`
	];
}
