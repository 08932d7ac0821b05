// One test per conversion bug of issue 9, each failing on the converter before it (commit 782d190):
// dynamic combo key dropped, values after a combo shifted, subgraph inputs matched by position, a promoted widget
// feeding a plain socket dropped, promoted values sent as null, a changed node sent one field off.
import { describe, expect, it } from 'vitest';
import type { ObjectInfo } from '../../../src/lib/comfy/types';
import { convertToApi } from '../../../src/lib/workflow/convert';
import type { UiNode, UiWorkflow } from '../../../src/lib/workflow/types';
import { modernWorkflow, objectInfo033, objectInfo2026 } from './modern';

function convert(w: UiWorkflow, info: ObjectInfo) {
	const r = convertToApi(w, info);
	if (!r.ok) throw new Error(r.error);
	return r;
}

/** A one-node workflow (plus what it needs linked) from a node as the frontend saves it. */
const graph = (nodes: UiNode[], links: UiWorkflow['links'] = []): UiWorkflow => ({ version: 0.4, nodes, links });
const widgetInputs = (...names: string[]) => names.map((name) => ({ name, type: 'X', widget: { name }, link: null }));

describe('dynamic combos (ComfyUI 0.33.0 definitions)', () => {
	it('sends the combo key and its dotted sub-inputs: SaveVideo format / format.codec / codec', () => {
		const save: UiNode = {
			id: 2,
			type: 'SaveVideo',
			inputs: [{ name: 'video', type: 'VIDEO', link: 1 }, ...widgetInputs('filename_prefix', 'format', 'format.codec', 'codec')],
			widgets_values: ['video/ComfyUI', 'auto', 'auto', 'auto']
		};
		const load: UiNode = { id: 1, type: 'LoadVideo', outputs: [{ name: 'VIDEO', type: 'VIDEO', links: [1] }], widgets_values: ['clip.mp4', 'image'] };
		const r = convert(graph([load, save], [[1, 1, 0, 2, 0, 'VIDEO']]), objectInfo033);
		expect(r.prompt['2'].inputs).toEqual({ video: ['1', 0], filename_prefix: 'video/ComfyUI', format: 'auto', 'format.codec': 'auto', codec: 'auto' });
		expect(r.issues.filter((i) => i.nodeId === '2')).toEqual([]);
	});

	it('ResizeImageMaskNode, GLSLShader: resize_type and size_mode are sent', () => {
		const resize: UiNode = { id: 1, type: 'ResizeImageMaskNode', widgets_values: ['scale dimensions', 640, 480, 'center', 'area'] };
		const glsl: UiNode = { id: 2, type: 'GLSLShader', widgets_values: ['void main() {}', 'custom', 320, 200] };
		const r = convert(graph([resize, glsl]), objectInfo033);
		expect(r.prompt['1'].inputs).toEqual({ resize_type: 'scale dimensions', 'resize_type.width': 640, 'resize_type.height': 480, 'resize_type.crop': 'center', scale_method: 'area' });
		expect(r.prompt['2'].inputs).toEqual({ fragment_shader: 'void main() {}', size_mode: 'custom', 'size_mode.width': 320, 'size_mode.height': 200 });
	});

	it('TextGenerate: values saved after sampling_mode land on their inputs (thinking stays false)', () => {
		const gen: UiNode = { id: 1, type: 'TextGenerate', widgets_values: ['hi', 2048, 'on', 0.6, 64, 0.8, 0.05, 1.05, 7, 0, false, true] };
		const inputs = convert(graph([gen]), objectInfo033).prompt['1'].inputs;
		expect(inputs).toMatchObject({ sampling_mode: 'on', 'sampling_mode.temperature': 0.6, 'sampling_mode.seed': 7, 'sampling_mode.presence_penalty': 0, thinking: false, use_default_template: true });
		const off = convert(graph([{ id: 1, type: 'TextGenerate', widgets_values: ['hi', 256, 'off', true, false] }]), objectInfo033).prompt['1'].inputs;
		expect(off).toEqual({ prompt: 'hi', max_length: 256, sampling_mode: 'off', thinking: true, use_default_template: false });
	});
});

describe('subgraphs', () => {
	/** Like video_wan2_2_14B_s2v: the instance lists 11 inputs, the definition 14, in another order. */
	function s2vLike(): UiWorkflow {
		const defNames = ['image', 'audio', 'prompt', 'negative', 'width', 'height', 'length', 'seed', 'steps', 'cfg', 'chunk', 'model', 'vae', 'clip'];
		const prim = (id: number, value: number, link: number): UiNode => ({ id, type: 'PrimitiveInt', outputs: [{ name: 'INT', type: 'INT', links: [link] }], widgets_values: [value, 'fixed'] });
		const instanceInputs = ['seed', 'steps', 'cfg', 'chunk', 'image', 'audio', 'prompt', 'negative', 'width', 'height', 'length'].map((name) => ({
			name,
			type: 'INT',
			link: ({ seed: 101, steps: 102, cfg: 103, chunk: 104 } as Record<string, number>)[name] ?? null
		}));
		return {
			version: 0.4,
			nodes: [prim(1, 123456, 101), prim(2, 20, 102), prim(3, 5, 103), prim(4, 77, 104), { id: 50, type: 'sg-1', inputs: instanceInputs, widgets_values: [] }],
			links: [
				[101, 1, 0, 50, 0, 'INT'],
				[102, 2, 0, 50, 1, 'INT'],
				[103, 3, 0, 50, 2, 'INT'],
				[104, 4, 0, 50, 3, 'INT']
			],
			definitions: {
				subgraphs: [
					{
						id: 'sg-1',
						name: 's2v',
						inputs: defNames.map((name, i) => ({ name, type: 'INT', linkIds: i >= 7 && i <= 9 ? [10 + i] : [] })),
						nodes: [
							{
								id: 9,
								type: 'KSamplerAdvanced',
								inputs: [
									{ name: 'noise_seed', type: 'INT', widget: { name: 'noise_seed' }, link: 17 },
									{ name: 'steps', type: 'INT', widget: { name: 'steps' }, link: 18 },
									{ name: 'cfg', type: 'FLOAT', widget: { name: 'cfg' }, link: 19 }
								],
								widgets_values: ['enable', 1, 'fixed', 2, 3, 'euler', 'normal', 0, 10000, 'disable']
							}
						],
						links: [
							[17, -10, 7, 9, 0, 'INT'],
							[18, -10, 8, 9, 1, 'INT'],
							[19, -10, 9, 9, 2, 'FLOAT']
						]
					}
				]
			}
		};
	}

	it('matches instance inputs to the definition by name, not position (seed from the Seed primitive)', () => {
		const inputs = convert(s2vLike(), objectInfo2026).prompt['50:9'].inputs;
		expect(inputs).toMatchObject({ noise_seed: ['1', 0], steps: ['2', 0], cfg: ['3', 0] });
	});

	it('a promoted widget that feeds a plain socket reaches it (Ernie blueprint: PreviewAny.source = width)', () => {
		const r = convert(modernWorkflow('bp-t2i-ernie-turbo'), objectInfo2026);
		expect(r.prompt['88:99'].inputs).toEqual({ source: 1024 });
		expect(r.prompt['88:100'].inputs).toEqual({ source: 1024 });
	});

	it('promoted values saved on the instance are used; null entries keep the inner value, never null', () => {
		const r = convert(modernWorkflow('bp-depth2video-ltx2-nested'), objectInfo2026);
		// ["-1", "resize_type.width"] = 1280 on the instance reaches the inner ResizeImageMaskNode.
		expect(r.prompt['143:191'].inputs).toMatchObject({ resize_type: 'scale dimensions', 'resize_type.width': 1280, 'resize_type.height': 720 });
		// ["126", "noise_seed"] is null on the instance: the inner RandomNoise keeps its own 0.
		expect(r.prompt['143:126'].inputs.noise_seed).toBe(0);
		for (const node of Object.values(r.prompt)) for (const v of Object.values(node.inputs)) expect(v).not.toBeNull();
		const nested = convert(modernWorkflow('bp-depth2img-zimage-nested'), objectInfo2026);
		expect(nested.prompt['13:76:28'].inputs.sigma).toBeCloseTo(999);
		expect(nested.prompt['13:2'].inputs.unet_name).toBe('z_image_turbo_bf16.safetensors');
	});
});

describe('modes inside subgraphs', () => {
	it('a bypassed inner node passes its input through, a muted one is left out with the links to it', () => {
		const w = modernWorkflow('bp-t2i-ernie-turbo');
		const inner = w.definitions!.subgraphs![0].nodes;
		inner.find((n) => n.id === 91)!.mode = 4; // ConditioningZeroOut
		inner.find((n) => n.id === 99)!.mode = 2; // PreviewAny (width)
		const r = convert(w, objectInfo2026);
		expect(r.prompt['88:91']).toBeUndefined();
		expect(r.prompt['88:70'].inputs.negative).toEqual(['88:67', 0]);
		expect(r.prompt['88:99']).toBeUndefined();
		expect(r.prompt['88:101'].inputs).not.toHaveProperty('replace');
	});
});

describe('a node changed since the save (ComfyUI 0.33.0 Veo3VideoGenerationNode gained "resolution")', () => {
	const veo = (values: unknown[]): UiWorkflow => graph([{ id: 5, type: 'Veo3VideoGenerationNode', title: 'Veo', widgets_values: values }]);

	it('is not sent one field off: the one layout all values fit is used and the new input reported', () => {
		const r = convert(veo(['a fox', '16:9', 'blurry', 8, true, 'ALLOW', 42, 'fixed', 'veo-3.0-generate-001', false]), objectInfo033);
		expect(r.prompt['5'].inputs).toEqual({
			prompt: 'a fox',
			aspect_ratio: '16:9',
			resolution: '720p',
			negative_prompt: 'blurry',
			duration_seconds: 8,
			enhance_prompt: true,
			person_generation: 'ALLOW',
			seed: 42,
			model: 'veo-3.0-generate-001',
			generate_audio: false
		});
		expect(r.issues).toEqual([expect.objectContaining({ nodeId: '5', nodeTitle: 'Veo', kind: 'realigned', inputNames: ['resolution'] })]);
	});

	it('flags the uncertain inputs when two layouts fit equally (KSampler saved without one of steps/cfg)', () => {
		const r = convert(graph([{ id: 3, type: 'KSampler', widgets_values: [1, 'fixed', 20, 'euler', 'normal', 1] }]), objectInfo033);
		const issue = r.issues.find((i) => i.nodeId === '3');
		expect(issue).toMatchObject({ kind: 'schema-changed', inputNames: ['cfg'], saved: [1, 'fixed', 20, 'euler', 'normal', 1] });
		expect(issue?.message).toContain('this node changed since the workflow was saved');
	});
});
