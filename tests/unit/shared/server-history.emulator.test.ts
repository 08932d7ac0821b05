// Server history against the emulator, both generations: prompts queued straight over HTTP by another client are
// listed newest first and paged, from /history on 0.3.64 and from /api/jobs on the 2026 profile, and an entry's
// detail brings its files, prompt, title and UI workflow.
import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../../tools/comfy-emulator/server';
import { ComfyApi } from '../../../src/lib/comfy/http';
import { detailOf, loadServerHistory } from '../../../src/lib/app/server-history/server-history-source';

let emulator: Emulator;

afterEach(async () => {
	await emulator.close();
});

async function queueAndWait(n: number): Promise<string[]> {
	const ids: string[] = [];
	for (let i = 0; i < n; i++) {
		const prompt_id = crypto.randomUUID();
		const prompt = {
			'1': { class_type: 'SlowNoiseImage', inputs: { steps: 1, seed: 1000 + i, width: 64, height: 64, text: `n${i}`, delay_ms: 0, preview_format: 'JPEG' } },
			'2': { class_type: 'SaveImage', inputs: { images: ['1', 0], filename_prefix: `server${i}` } }
		};
		const extra_data = { comfy_pocket_title: `Desk ${i}`, extra_pnginfo: { workflow: { nodes: [], links: [], version: 0.4, id: `wf-${i}` } } };
		const res = await fetch(`${emulator.url}/api/prompt`, { method: 'POST', body: JSON.stringify({ prompt, prompt_id, client_id: 'desktop', extra_data }) });
		expect(res.status).toBe(200);
		ids.push(prompt_id);
	}
	const deadline = Date.now() + 15_000;
	while (Object.keys(emulator.history()).length < n) {
		if (Date.now() > deadline) throw new Error('the prompts did not finish');
		await new Promise((r) => setTimeout(r, 20));
	}
	return ids;
}

describe.each([
	['0.3.64', undefined, 'history'],
	['2026', '2026', 'jobs']
] as const)('Server history on a %s server', (_name, profile, source) => {
	it(`lists results newest first in pages, from ${source}`, async () => {
		emulator = await startEmulator({ stepMs: 0, ...(profile ? { profile } : {}) });
		const api = new ComfyApi({ baseUrl: emulator.url });
		const ids = await queueAndWait(5);
		const first = await loadServerHistory(api, 0, 2);
		expect(first.source).toBe(source);
		expect(first.items.map((i) => i.promptId)).toEqual([ids[4], ids[3]]);
		expect(first.hasMore).toBe(true);
		const second = await loadServerHistory(api, 1, 2);
		expect(second.items.map((i) => i.promptId)).toEqual([ids[2], ids[1]]);
		const last = await loadServerHistory(api, 2, 2);
		expect(last.items.map((i) => i.promptId)).toEqual([ids[0]]);
		expect(last.hasMore).toBe(false);
		expect(first.items[0].status).toBe('done');
		expect(first.items[0].cover?.file.filename).toMatch(/^server4_/);

		const detail = await detailOf(api, first.items[0]);
		expect(detail.title).toBe('Desk 4');
		expect(detail.workflow).toMatchObject({ id: 'wf-4' });
		expect(Object.keys(detail.prompt ?? {})).toEqual(['1', '2']);
		expect(detail.files?.map((f) => f.kind)).toEqual(['image']);
	});
});
