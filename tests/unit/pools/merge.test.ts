import { describe, expect, it } from 'vitest';
import type { ObjectInfo, QueueItem } from '$lib/comfy/types';
import { mergeObjectInfo, mergeQueues } from '$lib/app/pools/merge';

const loader = (files: string[], v3 = false) =>
	({ name: 'Loader', input: { required: { ckpt_name: v3 ? ['COMBO', { options: files }] : [files, { tooltip: 't' }], strength: ['FLOAT', { default: 1 }] } }, output: [] }) as unknown as ObjectInfo[string];

describe('mergeObjectInfo', () => {
	it('lists every class of any rig and, for a combo, the options of every rig that has it (legacy and V3)', () => {
		const merged = mergeObjectInfo([
			{ Loader: loader(['a.safetensors', 'b.safetensors']), OnlyA: loader([]) },
			{ Loader: loader(['b.safetensors', 'c.safetensors']), OnlyB: loader([]) }
		]);
		expect(Object.keys(merged).sort()).toEqual(['Loader', 'OnlyA', 'OnlyB']);
		expect(merged.Loader.input.required!.ckpt_name).toEqual([['a.safetensors', 'b.safetensors', 'c.safetensors'], { tooltip: 't' }]);
		expect(merged.Loader.input.required!.strength).toEqual(['FLOAT', { default: 1 }]);
		const v3 = mergeObjectInfo([{ Loader: loader(['a'], true) }, { Loader: loader(['z'], true) }]);
		expect(v3.Loader.input.required!.ckpt_name).toEqual(['COMBO', { options: ['a', 'z'] }]);
	});
});

describe('mergeQueues', () => {
	const item = (n: number, id: string): QueueItem => [n, id, {}, {}, []];
	it('keeps every running job and orders waiting ones by when they start across the pool, renumbered', () => {
		const merged = mergeQueues([
			{ queue_running: [item(1, 'a-run')], queue_pending: [item(3, 'a2'), item(2, 'a1')] },
			{ queue_running: [item(7, 'b-run')], queue_pending: [item(8, 'b1')] }
		]);
		expect(merged.queue_running.map((i) => i[1])).toEqual(['a-run', 'b-run']);
		expect(merged.queue_pending.map((i) => [i[0], i[1]])).toEqual([
			[0, 'a1'],
			[1, 'b1'],
			[2, 'a2']
		]);
	});
});
