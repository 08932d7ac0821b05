// S1–S4, S10 and S11 of the captures: the emulator, driven like the capture scenarios, sends the same message types in the
// same order with the same fields to every client (ids and timestamps aside).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../../tools/comfy-emulator/server';
import { captured, httpCapture, normalize, normalizeHistory, promptIdOf } from './support/captures';
import { Recorder } from './support/recorder';
import { A, B, C, queuePrompt, slowNoise, sleep } from './support/scenario';

let sut: Emulator;
const clients: Record<string, Recorder> = {};

beforeAll(async () => {
	sut = await startEmulator({ stepMs: 15 });
	clients.A = await Recorder.connect(sut.url, A);
	clients.B = await Recorder.connect(sut.url, B);
	clients.C = await Recorder.connect(sut.url, C, { supports_preview_metadata: true });
	await clients.C.waitFor((r) => r.kind === 'text' && r.msg.type === 'feature_flags');
	clients.D = await Recorder.connect(sut.url);
});

afterAll(async () => {
	for (const client of Object.values(clients)) await client.close();
	await sut.close();
});

async function historyOf(records: Recorder['records']): Promise<unknown> {
	return normalizeHistory(await (await fetch(`${sut.url}/history/${promptIdOf(records)}`)).json());
}

async function runFor(submitter: Recorder, prompt: Parameters<typeof queuePrompt>[1], clientId: string) {
	const from = Object.fromEntries(Object.entries(clients).map(([k, c]) => [k, c.records.length]));
	const promptId = await queuePrompt(sut.url, prompt, clientId);
	await submitter.waitForDone(promptId, from[Object.keys(clients).find((k) => clients[k] === submitter)!]);
	await sleep(30);
	return Object.fromEntries(Object.entries(clients).map(([k, c]) => [k, c.records.slice(from[k])]));
}

describe('emulator conformance with the captures S1–S4, S10, S11', () => {
	let s1: Record<string, ReturnType<Recorder['records']['slice']>>;

	it('S1: the submitter A gets the whole per-prompt sequence with type-1 JPEG previews', async () => {
		const handshakes = Object.fromEntries(Object.entries(clients).map(([k, c]) => [k, c.records.slice()]));
		s1 = await runFor(clients.A, slowNoise(10, 'probe'), A);
		expect(normalize([...handshakes.A, ...s1.A])).toEqual(normalize(captured('S1-basic-clientA-submitter')));
		expect(await historyOf(s1.A)).toEqual(normalizeHistory(httpCapture('history_by_id').response.json as never));
	});

	it('S1: B, C and D (other or no clientId) get only the status broadcasts, after their own handshakes', async () => {
		for (const [name, file] of [
			['B', 'S1-basic-clientB-other-clientId'],
			['C', 'S1-basic-clientC-featureflags-other-clientId'],
			['D', 'S1-basic-clientD-no-clientId']
		] as const) {
			const all = clients[name].records.slice(0, clients[name].records.length - s1[name].length).concat(s1[name]);
			expect(normalize(all), name).toEqual(normalize(captured(file)));
		}
	});

	it('S2: the same prompt again is entirely cached and re-sends the old output', async () => {
		const s2 = await runFor(clients.A, slowNoise(10, 'probe'), A);
		expect(normalize(s2.A)).toEqual(normalize(captured('S2-cached-rerun-clientA', 'S2')));
		expect(await historyOf(s2.A)).toEqual(normalizeHistory(httpCapture('history_cached').response.json as never));
	});

	it('S3: a client that negotiated preview metadata gets type-4 frames before each progress', async () => {
		const s3 = await runFor(clients.C, slowNoise(6, 'probe_meta', { seed: 2 }), C);
		expect(normalize(s3.C)).toEqual(normalize(captured('S3-featureflags-submitter-clientC', 'S3')));
	});

	it('S4: PNG previews as type-1 format 2, and PreviewImage results of type temp', async () => {
		const prompt = slowNoise(4, 'unused', { seed: 4, delay_ms: 200, preview_format: 'PNG' });
		prompt['2'] = { class_type: 'PreviewImage', inputs: { images: ['1', 0] } };
		const s4 = await runFor(clients.A, prompt, A);
		expect(normalize(s4.A)).toEqual(normalize(captured('S4-png-previews-PreviewImage-clientA', 'S4')));
		expect(await historyOf(s4.A)).toEqual(normalizeHistory(httpCapture('history_previewimage').response.json as never));
	});

	it('S10: thirty fast steps at 512² stream a step group per step in the same order', async () => {
		const s10 = await runFor(clients.A, slowNoise(30, 'probe_fast', { seed: 10, width: 512, height: 512, delay_ms: 0 }), A);
		expect(normalize(s10.A)).toEqual(normalize(captured('S10-fast-previews-512-clientA', 'S10')));
	});

	it('S11: a 1024×768 run has the same sequence (the previews are scaled on the server)', async () => {
		const s11 = await runFor(clients.A, slowNoise(5, 'probe_big', { seed: 11, width: 1024, height: 768, delay_ms: 100 }), A);
		expect(normalize(s11.A)).toEqual(normalize(captured('S11-1024x768-clientA', 'S11')));
	});
});
