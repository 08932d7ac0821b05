import { describe, expect, it } from 'vitest';
import { liveSummary } from '../../../src/lib/components/run/live-summary';

const job = { status: 'running' as const, node: 'KSampler', step: { value: 12, max: 50 }, queuePosition: null };

describe('the live strip line', () => {
	it('names the running node and the step', () => {
		expect(liveSummary(job)).toBe('KSampler · step 12/50');
	});

	it('says Running when the node is not known yet and leaves out a step it does not have', () => {
		expect(liveSummary({ ...job, node: null, step: null })).toBe('Running');
	});

	it('gives a queued job its place in the queue', () => {
		expect(liveSummary({ ...job, status: 'queued', queuePosition: 2 })).toBe('Queued, position 2');
	});

	it('uses the status words for a job being sent or saved', () => {
		expect(liveSummary({ ...job, status: 'submitting' })).toBe('Sending…');
		expect(liveSummary({ ...job, status: 'saving' })).toBe('Saving result…');
	});
});
