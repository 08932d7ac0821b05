import { describe, expect, it } from 'vitest';
import { filterModels, sortFolders } from '../../../src/routes/models/models.svelte';
import { groupByDay } from '../../../src/routes/history/history.svelte';
import type { ResultRecord } from '$lib/storage';

describe('Models screen', () => {
	it('puts the folders people look for first, the rest alphabetically', () => {
		expect(sortFolders(['vae_approx', 'loras', 'audio_encoders', 'checkpoints', 'vae'])).toEqual(['checkpoints', 'loras', 'vae', 'audio_encoders', 'vae_approx']);
	});

	it('matches every word of the search anywhere in the path, ignoring case', () => {
		const models = ['SDXL/juggernautXL_v9.safetensors', 'sd15/dreamshaper_8.safetensors', 'sdxl/dreamshaperXL_turbo.safetensors'];
		expect(filterModels(models, 'dream xl')).toEqual(['sdxl/dreamshaperXL_turbo.safetensors']);
		expect(filterModels(models, '  ')).toEqual(models);
		expect(filterModels(models, 'flux')).toEqual([]);
	});
});

describe('History screen', () => {
	it('groups results by local day, keeping their order', () => {
		const at = (iso: string, id: string) => ({ id, createdAt: new Date(iso).getTime() }) as ResultRecord;
		const groups = groupByDay([at('2026-11-26T18:00:00', 'c'), at('2026-11-26T08:00:00', 'b'), at('2026-11-24T12:00:00', 'a')], 'en-GB');
		expect(groups.map((g) => g.results.map((r) => r.id))).toEqual([['c', 'b'], ['a']]);
		expect(groups[0].day).toMatch(/26 Nov 2026/);
	});
});
