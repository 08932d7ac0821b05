// Shared runs: how much later a second phone sees a preview than the first one. One run queued through the relay by
// one device, watched by 10 phones (one socket each), relay in workerd, emulator
// as ComfyUI; per frame, each phone's arrival minus the first phone's. The relay sends one frame to every phone in
// turn, so this is the cost of being one phone further down the fan-out.
import { startEmulator } from '../comfy-emulator/server';
import { pairDevice, startLocalRelay } from '../relay-worker';
import type { PhoneReport } from './relay-phones';
import { ms, percentile, PhonesThread, prompt, sent, STEP_MS, STEPS, tapEmulatorSends, until, upstreamLive } from './relay.bench';

const PHONES = 10;

export async function run(): Promise<string[]> {
	const untap = tapEmulatorSends();
	const emulator = await startEmulator({ port: 0, stepMs: STEP_MS });
	const relay = await startLocalRelay({ comfyUrl: emulator.url });
	const phones = new PhonesThread();
	try {
		// One socket per paired device (the relay caps sockets per device), the first one queues the run.
		const tokens: string[] = [];
		for (let i = 0; i < PHONES; i++) tokens.push((await pairDevice(relay, `shared phone ${i}`)).token);
		const first = { token: tokens[0] };
		await phones.ask({ cmd: 'open', relayUrl: relay.url, tokens });
		await until(() => upstreamLive(relay, first.token), 10_000, 'the relay to reach the emulator');
		sent.clear();
		const promptId = `bench-shared-${Date.now()}`;
		const res = await fetch(`${relay.url}/relay/api/api/prompt`, {
			method: 'POST',
			headers: { Authorization: `Bearer ${first.token}` },
			body: JSON.stringify({ prompt: prompt(Date.now() + 7), prompt_id: promptId })
		});
		if (!res.ok) throw new Error(`prompt through the relay: ${res.status} ${await res.text()}`);
		await until(async () => (await phones.ask<number>({ cmd: 'finished', promptId })) === PHONES, 60_000, 'every phone to see the result');
		const { phones: reports } = await phones.ask<{ phones: PhoneReport[] }>({ cmd: 'report' });
		await phones.ask({ cmd: 'close' });
		const firstAt = new Map(reports[0].arrivals.map((a) => [a.key, a.at]));
		const after = (report: PhoneReport) => report.arrivals.flatMap((a) => (firstAt.has(a.key) ? [a.at - (firstAt.get(a.key) ?? 0)] : []));
		const secondAfter = after(reports[1]);
		const lastAfter = after(reports[PHONES - 1]);
		const firstLatency = reports[0].arrivals.flatMap((a) => (sent.has(a.key) ? [a.at - (sent.get(a.key)?.at ?? a.at)] : []));
		return [
			`second phone: preview p50 ${ms(percentile(secondAfter, 50))} after the first (p99 ${ms(percentile(secondAfter, 99))}; the ${PHONES}th phone p50 ${ms(percentile(lastAfter, 50))}; first phone p50 ${ms(percentile(firstLatency, 50))} after ComfyUI sent it; ${secondAfter.length}/${STEPS} frames; relay in workerd, ${PHONES} phones; target <= 5 ms more than the first)`
		];
	} finally {
		untap();
		await phones.terminate();
		await relay.dispose();
		await emulator.close();
	}
}
