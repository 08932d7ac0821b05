import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { importWorkflowFile } from '../../../src/lib/workflow/import';
import { parseLenientJson } from '../../../src/lib/workflow/lenient-json';
import { bytesOf, corpusDir, corpusPrompt, corpusWorkflow } from './corpus';
import { deflateSync } from 'node:zlib';
import { concat, flac, iTXt, mp4, png, pngChunk, tEXt, webm, zTXt } from './containers';

const enc = new TextEncoder();
const workflow = corpusWorkflow('lora__lora_multiple');
const prompt = corpusPrompt('lora__lora_multiple');
const workflowText = JSON.stringify(workflow);
const promptText = JSON.stringify(prompt);

async function ok(bytes: Uint8Array, name?: string) {
	const r = await importWorkflowFile(bytes, name);
	if (!r.ok) throw new Error(r.error);
	return r;
}

async function failure(bytes: Uint8Array, name?: string): Promise<string> {
	const r = await importWorkflowFile(bytes, name);
	if (r.ok) throw new Error('expected a failure');
	return r.error;
}

describe('importWorkflowFile: real ComfyUI outputs', () => {
	it('reads the workflow and prompt of a ComfyUI PNG', async () => {
		const r = await ok(bytesOf(path.join(corpusDir, 'media/lora_multiple.png')), 'lora_multiple.png');
		expect(r.source).toBe('png');
		expect(r.workflow?.nodes.length).toBeGreaterThan(5);
		expect(Object.values(r.prompt ?? {}).some((n) => n.class_type === 'LoraLoader')).toBe(true);
		expect(r.warnings).toEqual([]);
	});

	it('reads the EXIF prompt: and workflow: strings of an animated WebP', async () => {
		const r = await ok(bytesOf(path.join(corpusDir, 'media/mochi_simple_checkpoint.webp')));
		expect(r.source).toBe('webp');
		expect(r.workflow?.nodes.length).toBeGreaterThan(3);
		expect(Object.keys(r.prompt ?? {}).length).toBeGreaterThan(3);
	});

	it('reads a UI workflow published as plain JSON', async () => {
		const r = await ok(bytesOf(path.join(corpusDir, 'media/ltxv_text_to_video.ui-only.json')));
		expect(r).toMatchObject({ source: 'ui-json' });
		expect(r.prompt).toBeUndefined();
	});
});

describe('importWorkflowFile: every container and chunk kind', () => {
	it.each([
		['tEXt', png(tEXt('prompt', promptText), tEXt('workflow', workflowText))],
		['zTXt', png(zTXt('prompt', promptText), zTXt('workflow', workflowText))],
		['uncompressed iTXt', png(iTXt('prompt', promptText, false), iTXt('workflow', workflowText, false))],
		['compressed iTXt', png(iTXt('prompt', promptText, true), iTXt('workflow', workflowText, true))]
	])('reads PNG %s chunks', async (_kind, bytes) => {
		const r = await ok(bytes);
		expect(r.source).toBe('png');
		expect(r.workflow).toEqual(workflow);
		expect(r.prompt).toEqual(prompt);
	});

	it('reads FLAC Vorbis comments, whatever the key case', async () => {
		const r = await ok(flac({ PROMPT: promptText, workflow: workflowText, title: 'x' }));
		expect(r).toMatchObject({ source: 'flac', workflow, prompt });
	});

	it('reads MP4 metadata keys written with use_metadata_tags', async () => {
		const r = await ok(mp4({ prompt: promptText, workflow: workflowText, encoder: 'Lavf' }));
		expect(r).toMatchObject({ source: 'mp4', workflow, prompt });
	});

	it('reads a legacy MP4 comment holding workflow and prompt (VideoHelperSuite)', async () => {
		const comment = JSON.stringify({ prompt: promptText, workflow });
		const r = await ok(mp4({ comment }));
		expect(r).toMatchObject({ source: 'mp4', workflow, prompt });
	});

	it('reads a legacy WebM comment holding the workflow itself', async () => {
		const r = await ok(webm({ COMMENT: workflowText }));
		expect(r).toMatchObject({ source: 'webm', workflow });
	});

	it('reads WebM SimpleTags', async () => {
		const r = await ok(webm({ PROMPT: promptText, WORKFLOW: workflowText, ENCODER: 'Lavf' }));
		expect(r).toMatchObject({ source: 'webm', workflow, prompt });
	});

	it('reads an API prompt JSON, and one wrapped as a POST /prompt body', async () => {
		expect(await ok(enc.encode(promptText))).toMatchObject({ source: 'api-json', prompt });
		expect(await ok(enc.encode(JSON.stringify({ prompt, client_id: 'x' })))).toMatchObject({ source: 'api-json', prompt });
	});

	it('reads the workflow a POST /prompt body carries in extra_pnginfo', async () => {
		const body = { prompt, client_id: 'x', extra_data: { extra_pnginfo: { workflow } } };
		expect(await ok(enc.encode(JSON.stringify(body)))).toMatchObject({ source: 'api-json', prompt, workflow });
	});

	it('reads JSON with NaN and Infinity as Python writes them', async () => {
		const text = workflowText.replace('"widgets_values": [512, 512, 1]', '"widgets_values": [512, NaN, Infinity]').replace('[512,512,1]', '[512,NaN,Infinity]');
		const r = await ok(enc.encode(text));
		const values = r.workflow?.nodes.find((n) => n.type === 'EmptyLatentImage')?.widgets_values as number[];
		expect(values[1]).toBeNaN();
		expect(values[2]).toBe(Infinity);
	});

	it('keeps the prompt and warns when the embedded workflow is damaged', async () => {
		const r = await ok(png(tEXt('prompt', promptText), tEXt('workflow', '{"nodes": [1]}')));
		expect(r.prompt).toEqual(prompt);
		expect(r.workflow).toBeUndefined();
		expect(r.warnings).toEqual(["This PNG image's embedded workflow could not be used: Invalid workflow: nodes[0] is not a node object."]);
	});
});

describe('importWorkflowFile: bad input gets a clear message', () => {
	it('says a PNG without metadata has no workflow', async () => {
		expect(await failure(png(tEXt('Software', 'GIMP')))).toBe(
			'This PNG image has no ComfyUI workflow in it (it was not saved by ComfyUI, or its metadata was removed).'
		);
	});

	it('says a file of unknown kind is not a workflow, naming it', async () => {
		expect(await failure(enc.encode('GIF89a....'), 'cat.gif')).toContain('"cat.gif" is not a ComfyUI workflow');
	});

	it('says an empty file is empty', async () => {
		expect(await failure(new Uint8Array())).toBe('The file is empty.');
	});

	it('says JSON that is neither format is not a workflow', async () => {
		expect(await failure(enc.encode('{"hello": "world"}'))).toContain('is not a ComfyUI workflow');
	});

	it('names the node and the field that is wrong', async () => {
		const bad = { ...workflow, nodes: [...workflow.nodes.slice(0, 2), { id: 99, widgets_values: [] }] };
		expect(await failure(enc.encode(JSON.stringify(bad)))).toBe('Invalid workflow: nodes[2] (id 99) has no type.');
		expect(await failure(enc.encode('{"1": {"class_type": "KSampler", "inputs": 3}}'))).toBe(
			'Invalid prompt: node "1" (KSampler) has no inputs object.'
		);
	});

	it('reports broken JSON with the parser message', async () => {
		expect(await failure(enc.encode('{"nodes": [}'))).toMatch(/^The file is not valid JSON: /);
	});

	it('refuses a compressed chunk that inflates past the limit instead of exhausting memory', async () => {
		const body = deflateSync(Buffer.alloc(40 * 1024 * 1024, 32));
		const bomb = png(pngChunk('zTXt', concat(enc.encode('workflow'), Uint8Array.of(0, 0), body)));
		expect(bomb.length).toBeLessThan(100_000);
		expect(await failure(bomb)).toContain('beyond the size limit');
	});
});

describe('parseLenientJson', () => {
	it('reads any JSON exactly as JSON.parse does, and non-finite numbers as Python writes them', () => {
		fc.assert(
			fc.property(fc.jsonValue(), (v) => {
				expect(parseLenientJson(JSON.stringify(v))).toEqual({ ok: true, value: JSON.parse(JSON.stringify(v)) });
			})
		);
		fc.assert(
			fc.property(fc.array(fc.oneof(fc.double(), fc.string()), { maxLength: 20 }), (values) => {
				const python = `[${values.map((v) => (typeof v === 'number' ? (Number.isNaN(v) ? 'NaN' : v === Infinity ? 'Infinity' : v === -Infinity ? '-Infinity' : JSON.stringify(v)) : JSON.stringify(v))).join(', ')}]`;
				const r = parseLenientJson(python);
				expect(r.ok && (r.value as unknown[]).map((x) => (typeof x === 'number' && Object.is(x, -0) ? 0 : x))).toEqual(values.map((x) => (Object.is(x, -0) ? 0 : x)));
			})
		);
	});

	it('leaves NaN inside strings alone', () => {
		expect(parseLenientJson('{"a": "NaN", "b": NaN, "c": -Infinity}')).toEqual({ ok: true, value: { a: 'NaN', b: NaN, c: -Infinity } });
	});

	it('still rejects other invalid JSON', () => {
		expect(parseLenientJson('{a: 1}').ok).toBe(false);
		expect(parseLenientJson('[NaNa]').ok).toBe(false);
	});
});
