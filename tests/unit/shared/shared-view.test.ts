// The live card's words and the parameters of a result made elsewhere: pure mappings.
import { describe, expect, it } from 'vitest';
import { sharedRunView, startedByText, elapsedText } from '../../../src/lib/app/shared-runs/shared-view';
import { valuesFromPrompt } from '../../../src/lib/app/shared-runs/shared-results.service';
import type { SharedRun } from '../../../src/lib/app/shared-runs/shared-tracker';

const run = (over: Omit<Partial<SharedRun>, 'state'> & { state?: Partial<SharedRun['state']> } = {}): SharedRun => ({
	promptId: 'p1',
	owner: null,
	title: null,
	prompt: null,
	workflow: null,
	...over,
	state: { promptId: 'p1', status: 'running', progress: 0.4, outputs: {}, cachedNodes: [], startedAt: 1000, node: { id: '3', title: 'KSampler' }, step: { value: 4, max: 20 }, ...over.state }
});

describe('sharedRunView', () => {
	it('names the device that started a run, this phone, or nobody for a prompt queued elsewhere', () => {
		const owned = run({ owner: { promptId: 'p1', deviceId: 'dA', device: "Anna's phone", title: 'Portrait' }, title: 'Portrait' });
		expect(sharedRunView(owned, false, 'dB')).toMatchObject({ status: 'running', title: 'Portrait', startedBy: "Anna's phone", node: 'KSampler', step: { value: 4, max: 20 } });
		expect(sharedRunView(owned, false, 'dA').startedBy).toBe('this phone');
		expect(startedByText(sharedRunView(run(), false, 'dB'))).toBe('started outside Comfy Pocket');
	});

	it('says who stopped it, and calls a queued prompt deleted before it started cancelled', () => {
		const stopped = run({ owner: { promptId: 'p1', deviceId: 'dA', device: 'A', stoppedBy: { deviceId: 'dB', device: 'B', at: 5 } }, state: { status: 'interrupted' } });
		expect(sharedRunView(stopped, false, 'dA')).toMatchObject({ status: 'stopped', stoppedBy: 'B' });
		expect(sharedRunView(stopped, false, 'dB').stoppedBy).toBe('this phone');
		const gone = run({ owner: { promptId: 'p1', stoppedBy: { deviceId: 'dB', device: 'B', at: 5 } }, state: { status: 'failed', startedAt: undefined, error: { message: 'gone' } } });
		expect(sharedRunView(gone, false, null).status).toBe('cancelled');
		const failed = run({ state: { status: 'failed', error: { message: 'boom', nodeType: 'KSampler', nodeId: '3' } } });
		expect(sharedRunView(failed, false, null)).toMatchObject({ status: 'failed', error: 'boom (in KSampler #3)' });
	});

	it('formats elapsed time', () => {
		expect(elapsedText(65_400)).toBe('1:05');
		expect(elapsedText(-3)).toBe('0:00');
	});
});

describe('valuesFromPrompt', () => {
	it('keeps every value input under the form’s <node>.<input> names, and no links', () => {
		const values = valuesFromPrompt({
			'3': { class_type: 'KSampler', inputs: { seed: 42, steps: 20, model: ['4', 0], sampler_name: 'euler' } },
			'6': { class_type: 'CLIPTextEncode', inputs: { text: 'a lighthouse', clip: ['4', 1] } }
		});
		expect(values).toEqual({ '3.seed': 42, '3.steps': 20, '3.sampler_name': 'euler', '6.text': 'a lighthouse' });
	});
});
