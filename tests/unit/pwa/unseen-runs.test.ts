import { describe, expect, it } from 'vitest';
import { UnseenRuns, type BadgeApi } from '../../../src/lib/pwa/done-alerts-wiring';
import type { JobEnd } from '../../../src/lib/pwa/done-alerts';

function recorder(fail = false): BadgeApi & { calls: string[] } {
	const calls: string[] = [];
	return {
		calls,
		setAppBadge: async (n?: number) => {
			calls.push(`set ${n}`);
			if (fail) throw new DOMException('Not allowed', 'NotAllowedError');
		},
		clearAppBadge: async () => {
			calls.push('clear');
			if (fail) throw new DOMException('Not allowed', 'NotAllowedError');
		}
	};
}

const end = (workflowId: string, status: JobEnd['status'] = 'done'): JobEnd => ({
	promptId: `${workflowId}-${status}`,
	workflowId,
	workflowName: workflowId,
	status,
	stoppedByUser: false,
	files: status === 'done' ? ['image'] : [],
	error: status === 'failed' ? 'boom' : null
});

describe('UnseenRuns counts run ends on the app badge until the user looks', () => {
	it('sets the badge to the number of unseen ends across workflows, then clears it once seen', () => {
		const badge = recorder();
		const unseen = new UnseenRuns(badge);
		unseen.record(end('a'));
		unseen.record(end('a'));
		unseen.record(end('b', 'failed'));
		expect(unseen.count).toBe(3);
		unseen.seen();
		expect(unseen.count).toBe(0);
		expect(badge.calls).toEqual(['set 1', 'set 2', 'set 3', 'clear']);
	});

	it('keeps each workflow’s tally for its next notification and forgets them once seen', () => {
		const unseen = new UnseenRuns(recorder());
		unseen.record(end('a'));
		unseen.record(end('a', 'failed'));
		expect(unseen.earlier('a')).toMatchObject({ done: 1, failed: 1, files: { image: 1 }, lastError: 'boom' });
		expect(unseen.earlier('b').done).toBe(0);
		unseen.seen();
		expect(unseen.earlier('a').done).toBe(0);
	});

	it('does not touch the badge when nothing was unseen, unless asked to clear one left from before', () => {
		const badge = recorder();
		const unseen = new UnseenRuns(badge);
		unseen.seen();
		expect(badge.calls).toEqual([]);
		unseen.seen(true);
		expect(badge.calls).toEqual(['clear']);
	});

	it('counts on where the badge API is missing or refuses, without throwing', async () => {
		const missing = new UnseenRuns({});
		missing.record(end('a'));
		missing.seen();
		expect(missing.count).toBe(0);

		const refusing = recorder(true);
		const unseen = new UnseenRuns(refusing);
		unseen.record(end('a'));
		unseen.record(end('a'));
		unseen.seen();
		await Promise.resolve();
		expect(refusing.calls).toEqual(['set 1', 'set 2', 'clear']);
	});

	it('survives a badge API that throws synchronously', () => {
		const unseen = new UnseenRuns({
			setAppBadge: () => {
				throw new TypeError('Illegal invocation');
			}
		});
		expect(() => unseen.record(end('a'))).not.toThrow();
		expect(unseen.count).toBe(1);
	});
});
