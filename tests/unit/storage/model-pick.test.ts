import { describe, expect, it } from 'vitest';
import { modelPick, parsePickRequest, pickUrl } from '$lib/app/model-pick.svelte';

describe('model pick hand-over', () => {
	it('round-trips a pick request through the Models URL', () => {
		const request = { fieldId: '4.ckpt_name', folder: 'checkpoints', returnTo: '/run/abc' };
		expect(parsePickRequest(new URL(pickUrl(request), 'http://app.test'))).toEqual(request);
	});

	it('treats the Models screen without a valid pick request as browsing', () => {
		expect(parsePickRequest(new URL('http://app.test/models'))).toBeNull();
		expect(parsePickRequest(new URL('http://app.test/models?pick=1.x&return=https://evil.test/'))).toBeNull();
		expect(parsePickRequest(new URL('http://app.test/models?pick=1.x&return=//evil.test/'))).toBeNull();
	});

	it('gives the chosen model to the field that asked for it, once', () => {
		modelPick.choose({ fieldId: '4.ckpt_name', folder: 'checkpoints', returnTo: '/run/a', model: 'sdxl.safetensors' });
		expect(modelPick.take('10.lora_name')).toBeUndefined();
		expect(modelPick.take('4.ckpt_name')).toBe('sdxl.safetensors');
		expect(modelPick.take('4.ckpt_name')).toBeUndefined();
	});
});
