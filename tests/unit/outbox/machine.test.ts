// The outbox state machine, case by case (the property test covers their combinations).
import { describe, expect, it } from 'vitest';
import { ComfyError } from '$lib/comfy/errors';
import { nextAction, sendFailure, step, type OutboxEvent } from '$lib/app/outbox/machine';
import { promptExists } from '$lib/comfy/prompt-exists';
import { outboxLine } from '$lib/app/outbox/outbox-text';
import type { QueueState } from '$lib/comfy/types';
import { entry } from './fake';

const e0 = entry('p', 0);
const err = { kind: 'network', message: 'Failed to fetch' };
const run = (...events: OutboxEvent[]) => events.reduce(step, e0);

describe('outbox machine', () => {
	it('queued → sending → sent, with the posted prompt kept and the pictures dropped', () => {
		const prompt = { '1': { class_type: 'LoadImage', inputs: { image: 'up.png' } } };
		const sent = run({ type: 'begin', at: 1 }, { type: 'accepted', at: 2, prompt });
		expect(sent).toMatchObject({ status: 'sent', attempts: 1, prompt, uploads: [] });
	});

	it('an unanswered attempt or an orphaned send becomes uncertain, and is only probed after settling', () => {
		const lost = run({ type: 'begin', at: 1 }, { type: 'unknown', at: 10, error: err });
		expect(lost).toMatchObject({ status: 'uncertain', uncertainSince: 10 });
		expect(nextAction(lost, 12, 5)).toEqual({ kind: 'wait', ms: 3 });
		expect(nextAction(lost, 15, 5)).toEqual({ kind: 'probe' });
		expect(run({ type: 'begin', at: 1 }, { type: 'orphaned', at: 4 }).status).toBe('uncertain');
		// No send from uncertain, whatever comes.
		expect(step(lost, { type: 'begin', at: 20 })).toBe(lost);
	});

	it('a probe decides: found → sent, absent → queued again (same id), no answer → still uncertain', () => {
		const lost = run({ type: 'begin', at: 1 }, { type: 'unknown', at: 2, error: err });
		expect(step(lost, { type: 'probed', at: 3, found: true }).status).toBe('sent');
		const again = step(lost, { type: 'probed', at: 3, found: false });
		expect(again).toMatchObject({ status: 'queued', promptId: 'p' });
		expect(step(lost, { type: 'probed', at: 3, found: null })).toBe(lost);
	});

	it('cancel: at once when surely not on the server, else once its fate is known', () => {
		expect(run({ type: 'cancel', at: 1 }).status).toBe('cancelled');
		const inFlight = run({ type: 'begin', at: 1 }, { type: 'cancel', at: 2 });
		expect(inFlight).toMatchObject({ status: 'sending', cancelRequested: true });
		expect(step(inFlight, { type: 'not-sent', at: 3, error: err }).status).toBe('cancelled');
		const unsure = step(inFlight, { type: 'unknown', at: 3, error: err });
		expect(step(unsure, { type: 'probed', at: 9, found: false }).status).toBe('cancelled');
		// Found: the server has it; it is handed over and stopped there like any job.
		expect(step(unsure, { type: 'probed', at: 9, found: true })).toMatchObject({ status: 'sent', cancelRequested: true });
		expect(nextAction(run({ type: 'begin', at: 1 }, { type: 'not-sent', at: 2, error: err }), 3, 0)).toEqual({ kind: 'send' });
	});

	it('a refusal fails the run with its error; Send again queues it with the same id', () => {
		const refused = new ComfyError('rejected', 'Prompt outputs failed validation', { status: 400, nodeErrors: { '3': { errors: [], dependent_outputs: [], class_type: 'KSampler' } } });
		const failed = run({ type: 'begin', at: 1 }, sendFailure(refused, 2, 'prompt'));
		expect(failed).toMatchObject({ status: 'failed', error: { kind: 'rejected', status: 400 } });
		expect(failed.error?.nodeErrors?.['3'].class_type).toBe('KSampler');
		expect(step(failed, { type: 'retry', at: 3 })).toMatchObject({ status: 'queued', error: null, promptId: 'p' });
	});

	it('classifies failures: a 4xx is a refusal, a 5xx or a dropped connection unknown, an upload failure not sent', () => {
		expect(sendFailure(new ComfyError('http', 'x', { status: 401 }), 1, 'prompt').type).toBe('rejected');
		expect(sendFailure(new ComfyError('http', 'x', { status: 413 }), 1, 'upload').type).toBe('rejected');
		expect(sendFailure(new ComfyError('http', 'x', { status: 502 }), 1, 'prompt').type).toBe('unknown');
		expect(sendFailure(new ComfyError('http', 'x', { status: 429 }), 1, 'prompt').type).toBe('unknown');
		expect(sendFailure(new ComfyError('timeout', 'x'), 1, 'prompt').type).toBe('unknown');
		expect(sendFailure(new ComfyError('bad-response', 'x'), 1, 'prompt').type).toBe('unknown');
		expect(sendFailure(new ComfyError('network', 'x'), 1, 'upload').type).toBe('not-sent');
	});

	it('says where each run stands', () => {
		expect(outboxLine(e0, 'Desk')).toBe('Waiting for Desk — will send when it answers');
		expect(outboxLine(run({ type: 'begin', at: 1 }, { type: 'unknown', at: 2, error: err }), 'Desk')).toMatch(/asking whether it arrived/);
	});
});

describe('promptExists', () => {
	const queue = (ids: string[]): QueueState => ({ queue_running: [], queue_pending: ids.map((id, i) => [i, id, {}, {}, []]) }) as unknown as QueueState;
	it('reads the queue first, then the history; null when either question goes unanswered', async () => {
		const order: string[] = [];
		const api = (q: QueueState | null, h: boolean | null) => ({
			getQueue: async () => (order.push('queue'), q ?? Promise.reject(new ComfyError('network', 'down'))),
			getHistory: async () => (order.push('history'), h === null ? Promise.reject(new ComfyError('network', 'down')) : h ? ({ outputs: {}, status: { messages: [] } } as never) : null)
		});
		expect(await promptExists(api(queue(['p']), false), 'p')).toBe(true);
		expect(order).toEqual(['queue']);
		expect(await promptExists(api(queue([]), true), 'p')).toBe(true);
		expect(await promptExists(api(queue([]), false), 'p')).toBe(false);
		expect(await promptExists(api(null, false), 'p')).toBe(null);
		expect(await promptExists(api(queue([]), null), 'p')).toBe(null);
		expect(await promptExists(api(null, true), 'p')).toBe(true);
	});

	it('asks /api/jobs/{id} alone where the server has the job API', async () => {
		const legacy = { getQueue: () => Promise.reject(new Error('not asked')), getHistory: () => Promise.reject(new Error('not asked')) };
		const jobs = (job: 'found' | 'gone' | 'down', available: boolean | 'down' = true) => ({
			...legacy,
			jobs: {
				available: () => (available === 'down' ? Promise.reject(new ComfyError('network', 'down')) : Promise.resolve(available)),
				get: () => (job === 'down' ? Promise.reject(new ComfyError('network', 'down')) : Promise.resolve(job === 'found' ? ({ id: 'p', status: 'pending' } as never) : null))
			}
		});
		expect(await promptExists(jobs('found'), 'p')).toBe(true);
		expect(await promptExists(jobs('gone'), 'p')).toBe(false);
		expect(await promptExists(jobs('down'), 'p')).toBe(null);
		expect(await promptExists(jobs('found', 'down'), 'p')).toBe(null);
		// Without the job API: the queue and history (which fail here: unanswered).
		expect(await promptExists(jobs('found', false), 'p')).toBe(null);
	});
});
