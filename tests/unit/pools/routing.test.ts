import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ApiPrompt, ObjectInfo } from '$lib/comfy/types';
import { chooseRig, eligibility, planBatch, type RigView } from '$lib/app/pools/routing';

const def = (name: string, required: Record<string, unknown>) => ({ name, input: { required }, output: [] }) as unknown as ObjectInfo[string];

/** A small server: a checkpoint loader with two files, a sampler, a LoadImage and a SaveImage. */
function info(opts: { ckpts?: string[]; without?: string[]; extra?: ObjectInfo } = {}): ObjectInfo {
	const all: ObjectInfo = {
		CheckpointLoaderSimple: def('CheckpointLoaderSimple', { ckpt_name: [opts.ckpts ?? ['sd15.safetensors', 'sdxl.safetensors']] }),
		KSampler: def('KSampler', { model: ['MODEL'], seed: ['INT', { default: 0 }], sampler_name: [['euler', 'dpmpp_2m']], steps: ['INT', {}] }),
		LoadImage: def('LoadImage', { image: [['a.png'], { image_upload: true }] }),
		SaveImage: def('SaveImage', { images: ['IMAGE'], filename_prefix: ['STRING', {}] }),
		...opts.extra
	};
	for (const name of opts.without ?? []) delete all[name];
	return all;
}

const prompt = (ckpt = 'sd15.safetensors', extra: ApiPrompt = {}): ApiPrompt => ({
	'1': { class_type: 'CheckpointLoaderSimple', inputs: { ckpt_name: ckpt } },
	'2': { class_type: 'KSampler', inputs: { model: ['1', 0], seed: 5, sampler_name: 'euler', steps: 20 } },
	'3': { class_type: 'SaveImage', inputs: { images: ['2', 0], filename_prefix: 'x' } },
	...extra
});

function rig(id: string, over: Partial<RigView> = {}): RigView {
	return { id, name: `Box ${id}`, objectInfo: info(), paused: false, down: false, load: 0, msPerJob: null, ...over };
}

describe('eligibility', () => {
	it('needs every node class and every combo value; links, numbers, free text and uploads are not judged', () => {
		expect(eligibility(prompt(), info())).toEqual({ ok: true });
		const withUpload = prompt('sd15.safetensors', { '4': { class_type: 'LoadImage', inputs: { image: 'phone-upload (3).png' } } });
		expect(eligibility(withUpload, info())).toEqual({ ok: true });
		expect(eligibility(prompt(), info({ without: ['KSampler'] }))).toEqual({ ok: false, lacks: [{ kind: 'class', classType: 'KSampler' }] });
		expect(eligibility(prompt('flux.safetensors'), info())).toEqual({
			ok: false,
			lacks: [{ kind: 'value', nodeId: '1', classType: 'CheckpointLoaderSimple', input: 'ckpt_name', value: 'flux.safetensors', model: true }]
		});
	});

	it('checks V3 COMBO options and multiselect lists, and lets exempt values (this phone’s uploads) through', () => {
		const v3 = info({ extra: { Pick: def('Pick', { mode: ['COMBO', { options: ['a', 'b'] }], tags: ['COMBO', { options: ['x', 'y'], multiselect: true }] }) } });
		const p: ApiPrompt = { '9': { class_type: 'Pick', inputs: { mode: 'c', tags: { __value__: ['x', 'z'] } } } };
		const result = eligibility(p, v3);
		expect(result.ok).toBe(false);
		expect(!result.ok && result.lacks.map((l) => (l.kind === 'value' ? l.value : l.kind))).toEqual(['c', 'z']);
		expect(eligibility(p, v3, new Set(['c', 'z']))).toEqual({ ok: true });
	});

	it('a rig whose node definitions are not known yet is not eligible', () => {
		expect(eligibility(prompt(), null)).toEqual({ ok: false, lacks: [{ kind: 'unknown', reason: 'no-node-info' }] });
	});
});

describe('chooseRig', () => {
	it('goes only where the prompt can run', () => {
		expect(chooseRig(prompt(), [rig('a', { objectInfo: info({ without: ['KSampler'] }) }), rig('b', { load: 5 })])).toEqual({ ok: true, rigId: 'b' });
	});

	it('takes the shortest queue (running job counted), then the faster rig, then pool order', () => {
		expect(chooseRig(prompt(), [rig('a', { load: 2 }), rig('b', { load: 1 })])).toEqual({ ok: true, rigId: 'b' });
		expect(chooseRig(prompt(), [rig('a', { load: 1, msPerJob: 9000 }), rig('b', { load: 1, msPerJob: 3000 })])).toEqual({ ok: true, rigId: 'b' });
		expect(chooseRig(prompt(), [rig('a', { load: 1 }), rig('b', { load: 1, msPerJob: 3000 })])).toEqual({ ok: true, rigId: 'b' });
		expect(chooseRig(prompt(), [rig('a'), rig('b')])).toEqual({ ok: true, rigId: 'a' });
	});

	it('skips paused and down rigs, and says so when only those could run it', () => {
		expect(chooseRig(prompt(), [rig('a', { paused: true }), rig('b', { load: 9 })])).toEqual({ ok: true, rigId: 'b' });
		const away = chooseRig(prompt(), [rig('a', { paused: true }), rig('b', { down: true }), rig('c', { objectInfo: info({ without: ['KSampler'] }) })]);
		expect(away).toMatchObject({ ok: false, away: true, missing: [], reason: 'Every rig that can run this workflow is paused or down: Box a (paused), Box b (down).' });
	});

	it('names what no rig has, or what each lacks', () => {
		const noFlux = chooseRig(prompt('flux.safetensors'), [rig('a'), rig('b')]);
		expect(noFlux).toMatchObject({ ok: false, away: false, reason: 'No rig has the model flux.safetensors (ckpt_name).' });
		expect(!noFlux.ok && noFlux.missing).toEqual([{ kind: 'value', nodeId: '1', classType: 'CheckpointLoaderSimple', input: 'ckpt_name', value: 'flux.safetensors', model: true }]);
		const noSampler = [rig('a', { objectInfo: info({ without: ['KSampler'] }) }), rig('b', { objectInfo: info({ without: ['KSampler'] }) })];
		expect(chooseRig(prompt(), noSampler)).toMatchObject({ ok: false, reason: 'No rig has the node class KSampler.' });
		const split = [rig('a', { objectInfo: info({ without: ['KSampler'] }) }), rig('b', { objectInfo: info({ ckpts: ['sdxl.safetensors'] }) })];
		expect(chooseRig(prompt(), split)).toMatchObject({
			ok: false,
			away: false,
			missing: [],
			reason: 'No rig has everything this workflow needs: Box a lacks the node class KSampler; Box b lacks the model sd15.safetensors (ckpt_name).'
		});
		expect(chooseRig(prompt(), [rig('a', { objectInfo: null })])).toMatchObject({ ok: false, reason: 'No rig of this pool has answered yet, so it is not known which one can run this workflow.' });
	});
});

describe('planBatch', () => {
	it('spreads ×8 on two free equal rigs 4 + 4, and fills the emptier rig first', () => {
		const count = (choices: ReturnType<typeof planBatch>, id: string) => choices.filter((c) => c.ok && c.rigId === id).length;
		const even = planBatch(Array(8).fill(prompt()), [rig('a'), rig('b')]);
		expect([count(even, 'a'), count(even, 'b')]).toEqual([4, 4]);
		const uneven = planBatch(Array(4).fill(prompt()), [rig('a', { load: 3 }), rig('b')]);
		// b catches up to a's 3, then the tie goes to a (pool order).
		expect([count(uneven, 'a'), count(uneven, 'b')]).toEqual([1, 3]);
	});

	it('never places a prompt on a rig that cannot run it, and keeps equal rigs within one job of each other', () => {
		fc.assert(
			fc.property(
				fc.array(fc.record({ lacksSampler: fc.boolean(), paused: fc.boolean(), down: fc.boolean(), load: fc.nat(5) }), { minLength: 1, maxLength: 5 }),
				fc.integer({ min: 1, max: 24 }),
				(specs, n) => {
					const rigs = specs.map((s, i) => rig(String(i), { paused: s.paused, down: s.down, load: s.load, objectInfo: info({ without: s.lacksSampler ? ['KSampler'] : [] }) }));
					const choices = planBatch(Array(n).fill(prompt()), rigs);
					const ready = rigs.filter((r, i) => !specs[i].lacksSampler && !r.paused && !r.down);
					const placed = new Map(ready.map((r) => [r.id, r.load]));
					for (const c of choices) {
						if (!c.ok) return ready.length === 0;
						const target = rigs.find((r) => r.id === c.rigId)!;
						if (!ready.includes(target)) return false;
						placed.set(c.rigId, placed.get(c.rigId)! + 1);
					}
					const totals = [...placed.values()];
					const startedEqual = new Set(ready.map((r) => r.load)).size <= 1;
					return !startedEqual || totals.length === 0 || Math.max(...totals) - Math.min(...totals) <= 1;
				}
			)
		);
	});
});
