// Library imports through the real workflow engine (import.ts) into fake-indexeddb.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { importFiles, importFromServer, importPastedText, workflowName } from '$lib/app/library.service';
import { library } from '$lib/app/library.svelte';
import { listWorkflows } from '$lib/storage';
import { useFreshDatabase } from './setup';

useFreshDatabase();

const png = readFileSync('tests/fixtures/corpus/media/lora_multiple.png');

function lastNotice() {
	return library.notices.at(-1);
}

describe('Library import', () => {
	it('names a workflow after its file', () => {
		expect(workflowName('workflows/portrait v2.json')).toBe('portrait v2');
		expect(workflowName('lora_multiple.png')).toBe('lora_multiple');
		expect(workflowName('.json')).toBe('Imported workflow');
	});

	it('imports a ComfyUI PNG with its embedded workflow and announces it', async () => {
		const [saved] = await importFiles([new File([png], 'lora_multiple.png', { type: 'image/png' })]);
		expect(saved.name).toBe('lora_multiple');
		expect(saved.source.fileName).toBe('lora_multiple.png');
		expect(saved.source.workflow ?? saved.source.prompt).toBeTruthy();
		expect(lastNotice()?.text).toBe('Imported “lora_multiple”.');
		expect((await listWorkflows()).map((w) => w.id)).toEqual([saved.id]);
	});

	it('says which file failed and why, and saves nothing for it', async () => {
		const saved = await importFiles([new File(['hello'], 'notes.txt', { type: 'text/plain' })]);
		expect(saved).toEqual([]);
		expect(lastNotice()).toMatchObject({ kind: 'error', text: expect.stringMatching(/^notes\.txt: /) });
		expect(await listWorkflows()).toEqual([]);
	});

	it('imports pasted API-format JSON', async () => {
		const prompt = { '1': { class_type: 'CheckpointLoaderSimple', inputs: { ckpt_name: 'a.safetensors' } } };
		const saved = await importPastedText(JSON.stringify(prompt));
		expect(saved?.source.prompt).toEqual(prompt);
	});

	it('asks for a server before opening a workflow saved on one', async () => {
		expect(await importFromServer('workflows/a.json')).toBeNull();
		expect(lastNotice()?.text).toMatch(/Connect to a server first/);
	});
});
