// Workflow engine speed: UI→API conversion of a synthetic 1000-node workflow (target ≤ 10 ms), and import +
// conversion of all 30 corpus pairs (target ≤ 100 ms in total). Medians (and best) of repeated runs after a warm-up.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ObjectInfo } from '../../src/lib/comfy/types';
import { convertToApi } from '../../src/lib/workflow/convert';
import { importWorkflowFile } from '../../src/lib/workflow/import';
import type { UiLinkArray, UiNode, UiWorkflow } from '../../src/lib/workflow/types';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const corpus = path.join(root, 'tests/fixtures/corpus');

/**
 * A 1000-node graph (units = 100) of ten-node units (two chained LoRAs, two prompts, a latent fed by a PrimitiveNode
 * through a Reroute, a sampler, a decoder, a saver), all hanging off one checkpoint loader.
 */
export function syntheticWorkflow(units = 100): UiWorkflow {
	const nodes: UiNode[] = [];
	const links: UiLinkArray[] = [];
	let nextId = 1;
	let nextLink = 1;
	const link = (from: number, slot: number, to: number, toSlot: number, type: string): number => {
		links.push([nextLink, from, slot, to, toSlot, type]);
		return nextLink++;
	};
	const add = (type: string, widgets: unknown[] | undefined, inputs: UiNode['inputs'] = [], mode = 0): number => {
		const id = nextId++;
		nodes.push({ id, type, mode, inputs, outputs: [], ...(widgets ? { widgets_values: widgets } : {}) });
		return id;
	};
	const input = (name: string, type: string, l: number | null, widget?: string) => ({ name, type, link: l, ...(widget ? { widget: { name: widget } } : {}) });
	const ckpt = add('CheckpointLoaderSimple', ['model.safetensors']);
	for (let u = 0; u < units; u++) {
		const lora1 = nextId;
		add('LoraLoader', ['a.safetensors', 1, 1], [input('model', 'MODEL', link(ckpt, 0, lora1, 0, 'MODEL')), input('clip', 'CLIP', link(ckpt, 1, lora1, 1, 'CLIP'))]);
		const lora2 = nextId;
		add('LoraLoader', ['b.safetensors', 0.5, 0.5], [input('model', 'MODEL', link(lora1, 0, lora2, 0, 'MODEL')), input('clip', 'CLIP', link(lora1, 1, lora2, 1, 'CLIP'))], u % 7 === 0 ? 4 : 0);
		const pos = nextId;
		add('CLIPTextEncode', [`prompt ${u}`], [input('clip', 'CLIP', link(lora2, 1, pos, 0, 'CLIP'))]);
		const neg = nextId;
		add('CLIPTextEncode', ['blurry'], [input('clip', 'CLIP', link(lora2, 1, neg, 0, 'CLIP'))]);
		const prim = add('PrimitiveNode', [768, 'fixed']);
		const reroute = nextId;
		add('Reroute', undefined, [input('', '*', link(prim, 0, reroute, 0, 'INT'))]);
		const latent = nextId;
		add('EmptyLatentImage', [512, 512, 1], [input('width', 'INT', link(reroute, 0, latent, 0, 'INT'), 'width')]);
		const sampler = nextId;
		add('KSampler', [u, 'randomize', 20, 7, 'euler', 'normal', 1], [
			input('model', 'MODEL', link(lora2, 0, sampler, 0, 'MODEL')),
			input('positive', 'CONDITIONING', link(pos, 0, sampler, 1, 'CONDITIONING')),
			input('negative', 'CONDITIONING', link(neg, 0, sampler, 2, 'CONDITIONING')),
			input('latent_image', 'LATENT', link(latent, 0, sampler, 3, 'LATENT'))
		]);
		const decode = nextId;
		add('VAEDecode', undefined, [input('samples', 'LATENT', link(sampler, 0, decode, 0, 'LATENT')), input('vae', 'VAE', link(ckpt, 2, decode, 1, 'VAE'))]);
		// The last unit goes without its saver, so the graph has exactly 1 + 10 × units − 1 nodes.
		if (u < units - 1) {
			const save = nextId;
			add('SaveImage', [`unit${u}`], [input('images', 'IMAGE', link(decode, 0, save, 0, 'IMAGE'))]);
		}
	}
	return { last_node_id: nextId - 1, last_link_id: nextLink - 1, nodes, links, groups: [], extra: {}, version: 0.4 };
}

/** Median and best of `runs` timed calls after a warm-up; the best shows the cost on a machine others share. */
async function time(runs: number, fn: () => unknown | Promise<unknown>): Promise<string> {
	for (let i = 0; i < 5; i++) await fn();
	const samples: number[] = [];
	for (let i = 0; i < runs; i++) {
		const t = performance.now();
		await fn();
		samples.push(performance.now() - t);
	}
	samples.sort((a, b) => a - b);
	return `${samples[Math.floor(samples.length / 2)].toFixed(1)} ms (best ${samples[0].toFixed(1)} ms)`;
}

export async function run(): Promise<string[]> {
	const objectInfo = JSON.parse(readFileSync(path.join(corpus, 'object_info.json'), 'utf8')) as ObjectInfo;
	const workflow = syntheticWorkflow();
	const check = convertToApi(workflow, objectInfo);
	if (!check.ok) throw new Error(`synthetic workflow does not convert: ${check.error}`);
	const convertTime = await time(100, () => convertToApi(workflow, objectInfo));

	const dir = path.join(corpus, 'workflows');
	const pairs = readdirSync(dir)
		.filter((f) => f.endsWith('.workflow.json'))
		.map((f) => [readFileSync(path.join(dir, f)), readFileSync(path.join(dir, f.replace('.workflow.json', '.prompt.json')))] as const)
		.map(([w, p]) => [new Uint8Array(w), new Uint8Array(p)] as const);
	const corpusTime = await time(30, async () => {
		for (const [w, p] of pairs) {
			const imported = await importWorkflowFile(w);
			await importWorkflowFile(p);
			if (!imported.ok || !imported.workflow) throw new Error('corpus workflow does not import');
			convertToApi(imported.workflow, objectInfo);
		}
	});
	return [`convert ${workflow.nodes.length} nodes: ${convertTime}`, `corpus ${pairs.length} pairs: ${corpusTime}`];
}
