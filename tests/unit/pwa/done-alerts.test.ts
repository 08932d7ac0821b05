import { describe, expect, it } from 'vitest';
import {
	addToTally,
	alertTag,
	doneAlert,
	EMPTY_TALLY,
	endWorthAlert,
	ERROR_MAX,
	shortError,
	type AlertContext,
	type JobEnd
} from '../../../src/lib/pwa/done-alerts';

const hidden: AlertContext = { visibility: 'hidden', enabled: true, permission: 'granted' };

function end(change: Partial<JobEnd> = {}): JobEnd {
	return { promptId: 'p-1', workflowId: 'wf-1', workflowName: 'Portrait LoRA', status: 'done', stoppedByUser: false, files: ['image'], error: null, ...change };
}

describe('doneAlert decides whether a job end is announced', () => {
	it('announces a finished run with the workflow name as title, the app icon, a per-workflow tag and the run link', () => {
		expect(doneAlert(end(), hidden)).toEqual({
			title: 'Portrait LoRA',
			options: { body: 'Done — 1 image', icon: '/icon-192.png', tag: 'run-done:wf-1', renotify: false, data: { url: '/run/wf-1', promptIds: ['p-1'] } }
		});
	});

	it('says nothing while the page is visible', () => {
		expect(doneAlert(end(), { ...hidden, visibility: 'visible' })).toBeNull();
		expect(endWorthAlert(end(), { ...hidden, visibility: 'visible' })).toBe(false);
	});

	it('says nothing when the Settings switch is off, even with the permission granted', () => {
		expect(doneAlert(end(), { ...hidden, enabled: false })).toBeNull();
		expect(endWorthAlert(end(), { ...hidden, enabled: false })).toBe(false);
	});

	it('shows no notification without the permission, yet the end still counts for the badge', () => {
		for (const permission of ['default', 'denied', 'unsupported'] as const) {
			const context: AlertContext = { ...hidden, permission };
			expect(doneAlert(end(), context)).toBeNull();
			expect(endWorthAlert(end(), context)).toBe(true);
		}
	});

	it('stays quiet when the user stopped the run or cancelled it, but not when someone else stopped it', () => {
		expect(doneAlert(end({ status: 'stopped', stoppedByUser: true }), hidden)).toBeNull();
		expect(doneAlert(end({ status: 'cancelled', stoppedByUser: true }), hidden)).toBeNull();
		expect(doneAlert(end({ status: 'stopped', files: [] }), hidden)?.options.body).toBe('Stopped on the server');
	});

	it('counts several files by kind, in plural', () => {
		expect(doneAlert(end({ files: ['image', 'image'] }), hidden)?.options.body).toBe('Done — 2 images');
		expect(doneAlert(end({ files: ['video', 'image', 'audio', 'audio'] }), hidden)?.options.body).toBe('Done — 1 video, 1 image, 2 audio files');
		expect(doneAlert(end({ files: [] }), hidden)?.options.body).toBe('Done');
	});

	it('reports a failure with its error on one short line', () => {
		expect(doneAlert(end({ status: 'failed', files: [], error: 'CUDA out of memory' }), hidden)?.options.body).toBe('Failed: CUDA out of memory');
		const long = `Error while deserializing header:\n\n  ${'x'.repeat(300)}`;
		const body = doneAlert(end({ status: 'failed', error: long }), hidden)!.options.body;
		expect(body.startsWith('Failed: Error while deserializing header: xxx')).toBe(true);
		expect(body).not.toContain('\n');
		expect(body.length).toBe('Failed: '.length + ERROR_MAX);
		expect(body.endsWith('…')).toBe(true);
		expect(shortError(null)).toBe('the job failed on the server');
		expect(shortError('   ')).toBe('the job failed on the server');
	});

	it('turns a batch of one workflow into one notification (same tag) whose text sums the runs so far', () => {
		let tally = EMPTY_TALLY;
		const bodies: string[] = [];
		const tags = new Set<string>();
		let spec = null;
		const batch = [end({ promptId: 'a' }), end({ promptId: 'b' }), end({ promptId: 'c', status: 'failed', files: [], error: 'Prompt outputs failed validation' }), end({ promptId: 'd' })];
		for (const next of batch) {
			spec = doneAlert(next, hidden, tally)!;
			bodies.push(spec.options.body);
			tags.add(spec.options.tag);
			tally = addToTally(tally, next);
		}
		expect(tags).toEqual(new Set([alertTag('wf-1')]));
		expect(spec?.options.data.promptIds).toEqual(['a', 'b', 'c', 'd']);
		expect(bodies).toEqual([
			'Done — 1 image',
			'2 runs done — 2 images',
			'2 runs done — 2 images · 1 failed: Prompt outputs failed validation',
			'3 runs done — 3 images · 1 failed: Prompt outputs failed validation'
		]);
	});

	it('keeps workflows apart: another workflow gets its own tag and link', () => {
		const spec = doneAlert(end({ workflowId: 'other id/2', workflowName: '  ' }), hidden)!;
		expect(spec.options.tag).toBe('run-done:other id/2');
		expect(spec.options.data.url).toBe('/run/other%20id%2F2');
		expect(spec.title).toBe('Comfy Pocket');
	});

	it('does not change the tally it is given', () => {
		const before = addToTally(EMPTY_TALLY, end());
		const copy = structuredClone(before);
		addToTally(before, end({ files: ['video'] }));
		expect(before).toEqual(copy);
		expect(EMPTY_TALLY).toEqual({ done: 0, failed: 0, stopped: 0, files: {}, lastError: null, promptIds: [] });
	});
});
