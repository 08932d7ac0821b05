import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { JobTracker, type JobState } from '$lib/comfy/jobs';
import type { ComfyEvent } from '$lib/comfy/events';
import { replayEvents } from './replay';

const WHOLE_SESSION_OUTCOMES: Record<string, JobState['status']> = {
	'39e7a346-b086-4168-bf5d-6e7ca66f9bc8': 'succeeded',
	'ee9abf32-7fe6-4c75-aec7-5ab39f3e6d99': 'succeeded',
	'71c585eb-067b-4ef0-b290-bbeedce30efb': 'succeeded',
	'2906f69d-c8f9-4df3-bcd0-c21d9e7eb6db': 'interrupted',
	'fc56acf2-afca-4c12-81b4-22ed8b3110ee': 'interrupted',
	'1473ecb3-e253-48cb-8991-8de708f55225': 'succeeded',
	'0e336d5c-7579-485a-8871-8a1e816b595d': 'failed',
	'80312910-61d5-4c2c-bf6c-1e8a7c0b2ae6': 'succeeded',
	'85978738-0642-453c-bdc1-7e8370b427cc': 'succeeded',
	'ae440c38-aa6f-4101-bfa5-b6f61ebc29ce': 'succeeded'
};
// Queued in S5b and deleted from the queue before it ran: no event ever names it.
const DELETED = '2c43e0bf-1f95-4d25-abbb-b01106260a1e';

describe('one tracker through the whole recorded session of client A', () => {
	it('ends every prompt in its recorded outcome and leaves the deleted one queued', () => {
		const sut = new JobTracker();
		for (const id of [...Object.keys(WHOLE_SESSION_OUTCOMES), DELETED]) sut.track(id);
		for (const event of replayEvents('ALL-clientA-whole-session')) sut.handle(event);
		const outcomes = Object.fromEntries(sut.list().map((job) => [job.promptId, job.status]));
		expect(outcomes).toEqual({ ...WHOLE_SESSION_OUTCOMES, [DELETED]: 'queued' });
	});

	it('gives every succeeded prompt at least one output and no other prompt a preview at the end', () => {
		const sut = new JobTracker();
		for (const id of Object.keys(WHOLE_SESSION_OUTCOMES)) sut.track(id);
		for (const event of replayEvents('ALL-clientA-whole-session')) sut.handle(event);
		for (const job of sut.list()) {
			if (job.status === 'succeeded') expect(Object.keys(job.outputs).length, job.promptId).toBeGreaterThan(0);
			expect(job.preview).toBeUndefined();
		}
	});

	it('sees nothing of those prompts from the sockets of client B and of a client without id', () => {
		for (const transcript of ['ALL-clientB-other-clientId-whole-session', 'ALL-clientD-no-clientId-whole-session']) {
			const sut = new JobTracker();
			const states: JobState[] = [];
			sut.subscribe((s) => states.push(s));
			for (const id of Object.keys(WHOLE_SESSION_OUTCOMES)) sut.track(id);
			for (const event of replayEvents(transcript)) sut.handle(event);
			expect(states, transcript).toEqual([]);
		}
	});
});

describe('JobTracker invariants under any order of events', () => {
	const ids = ['a', 'b'];
	const promptId = fc.constantFrom('a', 'b', 'other');
	const node = fc.constantFrom('1', '2', '3');
	const event: fc.Arbitrary<ComfyEvent> = fc.oneof(
		promptId.map((p) => ({ type: 'message', message: { type: 'execution_start', data: { prompt_id: p } } }) as ComfyEvent),
		fc.tuple(promptId, fc.array(node)).map(([p, nodes]) => ({ type: 'message', message: { type: 'execution_cached', data: { prompt_id: p, nodes } } }) as ComfyEvent),
		fc.tuple(fc.option(promptId, { nil: undefined }), fc.option(node, { nil: null })).map(
			([p, n]) => ({ type: 'message', message: { type: 'executing', data: { node: n, ...(p ? { prompt_id: p } : {}) } } }) as ComfyEvent
		),
		fc.tuple(promptId, node, fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 40 })).map(
			([p, n, value, max]) => ({ type: 'message', message: { type: 'progress', data: { prompt_id: p, node: n, value, max } } }) as ComfyEvent
		),
		fc.tuple(promptId, node).map(([p, n]) => ({ type: 'message', message: { type: 'executed', data: { prompt_id: p, node: n, output: { images: [] } } } }) as ComfyEvent),
		promptId.map((p) => ({ type: 'message', message: { type: 'execution_success', data: { prompt_id: p } } }) as ComfyEvent),
		promptId.map(
			(p) => ({ type: 'message', message: { type: 'execution_error', data: { prompt_id: p, node_id: '1', node_type: 'X', exception_message: 'x', exception_type: '', traceback: [] } } }) as ComfyEvent
		),
		promptId.map((p) => ({ type: 'message', message: { type: 'execution_interrupted', data: { prompt_id: p, node_id: '1', node_type: 'X' } } }) as ComfyEvent),
		fc.option(promptId, { nil: undefined }).map((p) => ({ type: 'preview', mime: 'image/jpeg', image: new Uint8Array(1), ...(p ? { promptId: p } : {}) }) as ComfyEvent)
	);

	it('keeps progress within 0..1, never moves it back while running, and never leaves a final state', () => {
		fc.assert(
			fc.property(fc.array(event, { maxLength: 60 }), (events) => {
				const sut = new JobTracker();
				for (const id of ids) sut.track(id, { nodeIds: ['1', '2', '3'] });
				const last = new Map<string, JobState>();
				// Subscribers' exceptions are swallowed by design, so collect violations and assert afterwards.
				const violations: string[] = [];
				const final = (s: JobState | undefined) => s !== undefined && ['succeeded', 'failed', 'interrupted'].includes(s.status);
				sut.subscribe((s) => {
					const before = last.get(s.promptId);
					if (s.progress < 0 || s.progress > 1) violations.push(`progress ${s.progress}`);
					if (final(before)) violations.push(`${s.promptId} changed after ending ${before!.status}`);
					if (before?.status === 'running' && s.status === 'running' && s.progress < before.progress) violations.push('progress went back');
					if (s.status !== 'succeeded' && s.progress >= 1) violations.push(`progress 1 while ${s.status}`);
					last.set(s.promptId, s);
				});
				for (const e of events) sut.handle(e);
				expect(violations).toEqual([]);
				expect(sut.get('other')).toBeUndefined();
			})
		);
	});
});
