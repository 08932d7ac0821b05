import { describe, expect, it } from 'vitest';
import { RUNNING_CEILING, samplerNodeIds, weightedProgress, type NodeProgress } from '$lib/comfy/progress';
import type { ApiPrompt } from '$lib/comfy/types';

function nodes(entries: Record<string, NodeProgress>): Map<string, NodeProgress> {
	return new Map(Object.entries(entries));
}

describe('weightedProgress', () => {
	it('is 0 before anything ran', () => {
		expect(weightedProgress({ nodeIds: ['1', '2', '3'], samplerNodeIds: [], cachedNodes: [], nodes: new Map() })).toBe(0);
	});

	it('lets a known sampler dominate: half its steps is most of the way through', () => {
		const progress = weightedProgress({
			nodeIds: ['loader', 'encode', 'sampler', 'decode', 'save'],
			samplerNodeIds: ['sampler'],
			cachedNodes: [],
			nodes: nodes({ loader: { value: 1, max: 1, done: true }, encode: { value: 1, max: 1, done: true }, sampler: { value: 10, max: 20, done: false } })
		});
		// 2 light nodes done (2) + half a sampler (5) out of 4 light + 10 heavy = 7/14.
		expect(progress).toBeCloseTo(0.5);
	});

	it('treats a node reporting several steps as heavy even when not declared a sampler', () => {
		const light = weightedProgress({ nodeIds: ['a', 'b'], samplerNodeIds: [], cachedNodes: [], nodes: nodes({ a: { value: 1, max: 1, done: true } }) });
		const heavy = weightedProgress({ nodeIds: ['a', 'b'], samplerNodeIds: [], cachedNodes: [], nodes: nodes({ a: { value: 1, max: 1, done: true }, b: { value: 0, max: 30, done: false } }) });
		expect(light).toBeCloseTo(0.5);
		expect(heavy).toBeCloseTo(1 / 11);
	});

	it('leaves cached nodes out of the sum', () => {
		const progress = weightedProgress({ nodeIds: ['1', '2', '3'], samplerNodeIds: [], cachedNodes: ['1', '2'], nodes: nodes({ '3': { value: 1, max: 2, done: false } }) });
		expect(progress).toBeCloseTo(0.5);
	});

	it('stays below 1 while running, even when every node reports done', () => {
		const progress = weightedProgress({ nodeIds: ['1'], samplerNodeIds: [], cachedNodes: [], nodes: nodes({ '1': { value: 5, max: 5, done: true } }) });
		expect(progress).toBe(RUNNING_CEILING);
	});

	it('counts nodes it was not told about once they report, and ignores nonsense maxima', () => {
		const progress = weightedProgress({ nodeIds: [], samplerNodeIds: [], cachedNodes: [], nodes: nodes({ x: { value: 3, max: 0, done: false }, y: { value: 9, max: 3, done: false } }) });
		expect(progress).toBeCloseTo(10 / 11);
	});
});

describe('samplerNodeIds', () => {
	it('picks the nodes that run a denoising loop and not the ones that only choose a sampler or scheduler', () => {
		const node = (class_type: string) => ({ class_type, inputs: {} });
		const prompt: ApiPrompt = {
			'3': node('KSampler'),
			'4': node('CheckpointLoaderSimple'),
			'10': node('KSamplerAdvanced'),
			'11': node('SamplerCustomAdvanced'),
			'12': node('KSamplerSelect'),
			'13': node('BasicScheduler'),
			'14': node('SaveImage'),
			'20:5': node('SamplerCustom')
		};
		expect(samplerNodeIds(prompt)).toEqual(['3', '10', '11', '20:5']);
	});
});
