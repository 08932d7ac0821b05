// Property-based tests of the import and conversion boundaries: random bytes, random bytes behind each format's
// magic number, and mutated real files never throw, never hang, and always give a result value.
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { importWorkflowFile } from '../../../src/lib/workflow/import';
import { convertToApi } from '../../../src/lib/workflow/convert';
import { formFromPrompt } from '../../../src/lib/workflow/form';
import { applyForm } from '../../../src/lib/workflow/apply';
import { validateValues } from '../../../src/lib/workflow/validate';
import type { UiWorkflow } from '../../../src/lib/workflow/types';
import { bytesOf, corpusDir, corpusWorkflow, fixture, objectInfo } from './corpus';
import { flac, mp4, png, tEXt, webm } from './containers';

const enc = new TextEncoder();
const workflowText = JSON.stringify(corpusWorkflow('lora__lora_multiple'));

const MAGICS: Uint8Array[] = [
	Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a),
	enc.encode('RIFF\x10\x00\x00\x00WEBPEXIF'),
	enc.encode('fLaC'),
	Uint8Array.of(0x1a, 0x45, 0xdf, 0xa3),
	enc.encode('\x00\x00\x00\x18ftypisom'),
	enc.encode('{"nodes":')
];

const seeds: Uint8Array[] = [
	bytesOf(path.join(corpusDir, 'media/lora_multiple.png')),
	png(tEXt('workflow', workflowText)),
	flac({ workflow: workflowText }),
	mp4({ workflow: workflowText }),
	webm({ workflow: workflowText }),
	enc.encode(workflowText)
];
const webpHead = bytesOf(path.join(corpusDir, 'media/mochi_simple_checkpoint.webp')).subarray(0, 64 * 1024);

async function expectResult(bytes: Uint8Array): Promise<void> {
	const r = await importWorkflowFile(bytes, 'fuzz.bin');
	expect(typeof r.ok).toBe('boolean');
	// "could not be read" is the catch-all for an exception inside the engine: it must never be reached.
	if (!r.ok) expect(r.error).not.toContain('could not be read');
}

/** A copy of `base` with a few bytes overwritten, a slice cut out or the end truncated. */
const mutation = (base: Uint8Array) =>
	fc.oneof(
		fc.array(fc.tuple(fc.nat({ max: base.length - 1 }), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 16 }).map((edits) => {
			const b = base.slice();
			for (const [i, v] of edits) b[i] = v;
			return b;
		}),
		fc.nat({ max: base.length }).map((n) => base.slice(0, n)),
		fc.tuple(fc.nat({ max: base.length }), fc.nat({ max: 4096 })).map(([at, n]) => {
			const b = new Uint8Array(base.length - Math.min(n, base.length - at));
			b.set(base.subarray(0, at));
			b.set(base.subarray(at + Math.min(n, base.length - at)), at);
			return b;
		})
	);

describe('import fuzzing', () => {
	it('gives a result value, never an internal exception, for any random bytes', async () => {
		await fc.assert(fc.asyncProperty(fc.uint8Array({ maxLength: 2048 }), expectResult), { numRuns: 300 });
	});

	it('gives a result value for random bytes behind every format magic number', async () => {
		await fc.assert(
			fc.asyncProperty(fc.constantFrom(...MAGICS), fc.uint8Array({ maxLength: 4096 }), async (magic, rest) => {
				const b = new Uint8Array(magic.length + rest.length);
				b.set(magic);
				b.set(rest, magic.length);
				await expectResult(b);
			}),
			{ numRuns: 600 }
		);
	});

	it.each(seeds.map((s, i) => [i, s] as const))('gives a result value for mutations of real file %i', async (_i, base) => {
		await fc.assert(fc.asyncProperty(mutation(base), expectResult), { numRuns: 150 });
	});

	it('gives a result value for mutations of a real animated WebP', async () => {
		await fc.assert(fc.asyncProperty(mutation(webpHead), expectResult), { numRuns: 100 });
	});
});

/** A real workflow with one node field, link or widget value replaced by arbitrary JSON. */
function mutatedWorkflow(base: UiWorkflow) {
	const anyJson = fc.jsonValue({ maxDepth: 3 });
	return fc
		.tuple(
			fc.nat({ max: base.nodes.length - 1 }),
			fc.constantFrom('type', 'inputs', 'outputs', 'widgets_values', 'mode', 'id', 'link', 'linkrow'),
			anyJson,
			fc.nat({ max: 10 })
		)
		.map(([n, field, value, k]) => {
			const w = structuredClone(base) as unknown as Record<string, unknown> & UiWorkflow;
			const node = w.nodes[n] as unknown as Record<string, unknown>;
			if (field === 'link') {
				const inputs = Array.isArray(node.inputs) ? node.inputs : [];
				if (inputs[k % Math.max(1, inputs.length)]) inputs[k % inputs.length].link = value;
			} else if (field === 'linkrow') {
				if (w.links.length > 0) (w.links as unknown[])[k % w.links.length] = value;
			} else node[field] = value;
			return w as UiWorkflow;
		});
}

/** The hidream workflow with one part of its legacy group node definition replaced by arbitrary JSON. */
function mutatedGroupDefinition() {
	const base = corpusWorkflow('hidream__hidream_e1_example');
	return fc
		.tuple(fc.constantFrom('links', 'external', 'nodes', 'node', 'row', 'widgets'), fc.jsonValue({ maxDepth: 3 }), fc.nat({ max: 20 }))
		.map(([part, value, k]) => {
			const w = structuredClone(base);
			const def = w.extra?.groupNodes?.IP2PSampler as unknown as Record<string, unknown[]>;
			if (part === 'node') def.nodes[k % def.nodes.length] = value;
			else if (part === 'row') def.links[k % def.links.length] = value;
			else if (part === 'widgets') (w.nodes.find((n) => n.id === 37) as Record<string, unknown>).widgets_values = value;
			else (def as Record<string, unknown>)[part] = value;
			return w;
		});
}

/** The subgraph fixture with one part of a definition or an instance replaced by arbitrary JSON. */
function mutatedSubgraphs() {
	const base = fixture('subgraphs.workflow.json');
	return fc
		.tuple(fc.nat({ max: 1 }), fc.constantFrom('nodes', 'links', 'inputs', 'outputs', 'id', 'definitions', 'proxy', 'values', 'link'), fc.jsonValue({ maxDepth: 3 }), fc.nat({ max: 9 }))
		.map(([d, part, value, k]) => {
			const w = structuredClone(base);
			const def = (w.definitions?.subgraphs ?? [])[d] as unknown as Record<string, unknown>;
			const instance = w.nodes.find((n) => n.id === [5, 7][d]) as Record<string, unknown>;
			if (part === 'proxy') instance.properties = { proxyWidgets: value };
			else if (part === 'values') instance.widgets_values = value;
			else if (part === 'link') {
				const links = def.links as unknown[];
				links[k % links.length] = value;
			} else def[part] = value;
			return w;
		});
}

describe('conversion fuzzing', () => {
	it('meets no unexpected exception on mutations of subgraph definitions and instances', () => {
		fc.assert(
			fc.property(mutatedSubgraphs(), (w) => {
				const r = convertToApi(w, objectInfo);
				expect(r.ok || r.error).not.toContain('could not be converted');
				if (r.ok) formFromPrompt(r.prompt, objectInfo, w);
			}),
			{ numRuns: 500 }
		);
	});

	it('meets no unexpected exception on mutations of a legacy group node definition', () => {
		fc.assert(
			fc.property(mutatedGroupDefinition(), (w) => {
				const r = convertToApi(w, objectInfo);
				expect(r.ok || r.error).not.toContain('could not be converted');
			}),
			{ numRuns: 400 }
		);
	});

	it.each(['lora__lora_multiple', 'hidream__hidream_e1_example', 'flux__flux_dev_example'])(
		'meets no unexpected exception on mutations of %s, and builds a form from what converts',
		(name) => {
			fc.assert(
				fc.property(mutatedWorkflow(corpusWorkflow(name)), (w) => {
					const r = convertToApi(w, objectInfo);
					expect(r.ok || r.error).not.toContain('could not be converted');
					if (r.ok) formFromPrompt(r.prompt, objectInfo, w);
				}),
				{ numRuns: 300 }
			);
		}
	);

	it('meets no unexpected exception on mutations of a subgraph workflow', () => {
		fc.assert(
			fc.property(mutatedWorkflow(fixture('subgraphs.workflow.json')), (w) => {
				const r = convertToApi(w, objectInfo);
				expect(r.ok || r.error).not.toContain('could not be converted');
			}),
			{ numRuns: 300 }
		);
	});
});

describe('form fuzzing', () => {
	const classes = ['KSampler', 'CLIPTextEncode', 'EmptyLatentImage', 'LoraLoader', 'LoadImage', 'CheckpointLoaderSimple', 'NoSuchClass'];
	const input = fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.tuple(fc.constantFrom('1', '2', '3'), fc.nat({ max: 3 })));
	const prompt = fc.dictionary(
		fc.constantFrom('1', '2', '3', '4:1'),
		fc.record({ class_type: fc.constantFrom(...classes), inputs: fc.dictionary(fc.constantFrom('seed', 'text', 'positive', 'negative', 'clip', 'width', 'image', 'lora_name', 'conditioning'), input) }),
		{ minKeys: 1 }
	);

	it('builds, validates and applies forms of arbitrary well-shaped prompts without an exception', () => {
		fc.assert(
			fc.property(prompt, fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 1 })), (p, values) => {
				const model = formFromPrompt(p as never, objectInfo, undefined);
				const byId = Object.fromEntries(model.fields.map((f, i) => [f.id, Object.values(values)[i]]));
				validateValues(model, byId);
				applyForm(p as never, model, byId, { random: () => 0.5 });
			}),
			{ numRuns: 500 }
		);
	});
});
