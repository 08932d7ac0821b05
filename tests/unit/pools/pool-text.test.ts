// A pool's refusals and notices in the user's language: the app's words (pool-text.ts) say in English exactly what
// routing.ts's own English says, for every kind of refusal, and German when German is loaded.
import { afterEach, describe, expect, it } from 'vitest';
import { loadLocale } from '$lib/i18n';
import type { ApiPrompt, ObjectInfo } from '$lib/comfy/types';
import { chooseRig, ENGLISH_ROUTING_WORDS, type Choice, type RigView } from '$lib/app/pools/routing';
import { POOL_WORDS, poolNoticeText } from '$lib/app/pools/pool-text';

const def = (required: Record<string, unknown>) => ({ input: { required }, output: [] }) as unknown as ObjectInfo[string];
const info = (ckpts: string[], without: string[] = []): ObjectInfo => {
	const all: ObjectInfo = {
		CheckpointLoaderSimple: def({ ckpt_name: [ckpts] }),
		KSampler: def({ model: ['MODEL'], sampler_name: [['euler', 'dpmpp_2m']] }),
		Upscaler: def({ image: ['IMAGE'] }),
		Detailer: def({ image: ['IMAGE'] }),
		Tiler: def({ image: ['IMAGE'] })
	};
	for (const name of without) delete all[name];
	return all;
};
const prompt: ApiPrompt = {
	'1': { class_type: 'CheckpointLoaderSimple', inputs: { ckpt_name: 'sd15.safetensors' } },
	'2': { class_type: 'KSampler', inputs: { model: ['1', 0], sampler_name: 'lcm' } },
	'3': { class_type: 'Upscaler', inputs: { image: ['2', 0] } },
	'4': { class_type: 'Detailer', inputs: { image: ['3', 0] } },
	'5': { class_type: 'Tiler', inputs: { image: ['4', 0] } }
};
const rig = (id: string, over: Partial<RigView> = {}): RigView => ({ id, name: `Box ${id}`, objectInfo: info(['sd15.safetensors']), paused: false, down: false, load: 0, msPerJob: null, ...over });
const refused = (choice: Choice) => {
	if (choice.ok) throw new Error('a rig was chosen');
	return choice;
};

const cases: [string, RigView[]][] = [
	['away', [rig('a', { paused: true, objectInfo: info(['sd15.safetensors']) }), rig('b', { down: true })]],
	['no rigs', []],
	['no answer', [rig('a', { objectInfo: null })]],
	['nobody has (with "and N more")', [rig('a', { objectInfo: info([], ['Upscaler', 'Detailer', 'Tiler']) })]],
	['none has all', [rig('a', { objectInfo: info(['sd15.safetensors'], ['Tiler']) }), rig('b', { objectInfo: info([], []) })]]
];

describe('pool refusals in words', () => {
	afterEach(() => loadLocale('en'));

	it('say in English exactly what the routing’s own English says', async () => {
		await loadLocale('en');
		for (const [what, rigs] of cases) {
			const choice = refused(chooseRig(prompt, rigs));
			expect(POOL_WORDS.reason(choice.why), what).toBe(choice.reason);
		}
		const lack = { kind: 'value', nodeId: '1', classType: 'CheckpointLoaderSimple', input: 'ckpt_name', value: 'flux.safetensors', model: true } as const;
		expect(POOL_WORDS.lackOnField(lack)).toBe(ENGLISH_ROUTING_WORDS.lackOnField(lack));
		expect(POOL_WORDS.lackOnField({ ...lack, value: 'lcm', model: false })).toBe(ENGLISH_ROUTING_WORDS.lackOnField({ ...lack, value: 'lcm', model: false }));
	});

	it('are German when German is loaded, names and files left as they are', async () => {
		await loadLocale('de');
		const choice = refused(chooseRig(prompt, [rig('a', { objectInfo: info(['sd15.safetensors'], ['Tiler']) }), rig('b', { objectInfo: info(['sd15.safetensors'], ['Tiler']) })]));
		expect(POOL_WORDS.reason(choice.why)).toBe('Kein Rig hat den Wert „lcm“ für KSampler.sampler_name, die Knotenklasse Tiler.');
		expect(poolNoticeText({ kind: 'moved', promptIds: ['p1', 'p2'], from: 'Box a', to: 'Box b', text: '' })).toBe(
			'2 wartende Durchläufe von Box a zu Box b verschoben: Box a antwortet nicht mehr.'
		);
		expect(poolNoticeText({ kind: 'lost', promptIds: ['p1'], from: 'Box a', text: '' })).toBe('Box a antwortet nicht mehr: 1 Durchlauf ging verloren (nicht wiederholt).');
	});

	it('word the notices in English as the pool transport does', async () => {
		await loadLocale('en');
		expect(poolNoticeText({ kind: 'moved', promptIds: ['p1'], from: 'A', to: 'B', text: '' })).toBe('1 waiting run moved from A to B: A stopped answering.');
		expect(poolNoticeText({ kind: 'lost', promptIds: ['p1', 'p2'], from: 'A', text: '' })).toBe('A stopped answering: 2 runs were lost (not retried).');
	});
});
