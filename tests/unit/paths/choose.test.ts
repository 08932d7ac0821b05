import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
	bestRoute,
	chooseRoute,
	DEFAULT_RULES,
	earlyChoice,
	MIN_PROBE_GAP_MS,
	nextRecheck,
	RECHECK_MS,
	shouldRedecide,
	type ProbeResult
} from '$lib/app/paths/choose';

const lan = (latencyMs: number | null): ProbeResult => ({ key: 'lan', kind: 'lan', ok: latencyMs !== null, latencyMs });
const relay = (latencyMs: number | null): ProbeResult => ({ key: 'relay', kind: 'relay', ok: latencyMs !== null, latencyMs });
const ts = (latencyMs: number | null): ProbeResult => ({ key: 'ts', kind: 'lan', ok: latencyMs !== null, latencyMs });
const T = 1_000_000;

describe('which route wins', () => {
	it('takes the LAN at home even when the relay answers a little faster', () => {
		expect(chooseRoute([lan(40), relay(25)], null, T)).toEqual({ key: 'lan', reason: 'first' });
	});
	it('takes the relay away from home (the LAN does not answer)', () => {
		expect(chooseRoute([lan(null), relay(180)], null, T)).toEqual({ key: 'relay', reason: 'first' });
	});
	it('takes the relay over a direct route only when it is much faster (a Tailscale route through a far DERP)', () => {
		expect(bestRoute([ts(600), relay(120)])?.key).toBe('relay');
		expect(bestRoute([ts(200), relay(120)])?.key).toBe('ts');
	});
	it('breaks a tie toward the direct route, whatever the order', () => {
		const rules = { ...DEFAULT_RULES, relayPenaltyMs: 0 };
		expect(bestRoute([relay(50), lan(50)], rules)?.key).toBe('lan');
	});
	it('keeps the route in use when nothing answers (its socket keeps retrying and says why)', () => {
		expect(chooseRoute([lan(null), relay(null)], { key: 'lan', since: 0 }, T)).toEqual({ key: 'lan', reason: 'none-answered' });
		expect(chooseRoute([lan(null), relay(null)], null, T)).toEqual({ key: null, reason: 'none-answered' });
	});
	it('leaves a route that failed at once, without waiting for the dwell time', () => {
		expect(chooseRoute([lan(null), relay(200)], { key: 'lan', since: T - 10 }, T)).toEqual({ key: 'relay', reason: 'current-failed' });
	});
});

describe('hysteresis', () => {
	it('moves from the relay to the LAN when the LAN comes up, once the relay has been kept the dwell time', () => {
		expect(chooseRoute([lan(20), relay(150)], { key: 'relay', since: T - DEFAULT_RULES.minDwellMs }, T)).toEqual({ key: 'lan', reason: 'faster' });
	});
	it('within the dwell time it stays, and says when to look again', () => {
		const since = T - 1000;
		expect(chooseRoute([lan(20), relay(150)], { key: 'relay', since }, T)).toEqual({ key: 'relay', reason: 'stay', recheckAt: since + DEFAULT_RULES.minDwellMs });
	});
	it('does not move for a small gain between two direct routes', () => {
		expect(chooseRoute([lan(40), ts(25)], { key: 'lan', since: 0 }, T).key).toBe('lan');
		expect(chooseRoute([lan(400), ts(25)], { key: 'lan', since: 0 }, T)).toEqual({ key: 'ts', reason: 'faster' });
	});
	it('never flaps while latencies only jitter within the margin', () => {
		fc.assert(
			fc.property(fc.integer({ min: 5, max: 300 }), fc.array(fc.tuple(fc.integer({ min: -14, max: 14 }), fc.integer({ min: -14, max: 14 })), { minLength: 1, maxLength: 40 }), (base, jitters) => {
				let current = { key: 'lan', since: 0 };
				let switches = 0;
				for (const [i, [a, b]] of jitters.entries()) {
					const choice = chooseRoute([lan(base + a), ts(base + b)], current, T + i * 60_000);
					if (choice.key !== current.key) {
						switches++;
						current = { key: choice.key!, since: T + i * 60_000 };
					}
				}
				expect(switches).toBe(0);
			})
		);
	});
	it('with random failures and latencies, every switch has a reason and no two faster-switches come within the dwell time', () => {
		fc.assert(
			fc.property(fc.array(fc.tuple(fc.option(fc.integer({ min: 1, max: 500 })), fc.option(fc.integer({ min: 1, max: 500 })), fc.integer({ min: 0, max: 20_000 })), { maxLength: 60 }), (rounds) => {
				let now = T;
				let current = null as { key: string; since: number } | null;
				for (const [l, r, gap] of rounds) {
					now += gap;
					const probes = [lan(l), relay(r)];
					const choice = chooseRoute(probes, current, now);
					if (choice.reason === 'faster') expect(now - current!.since).toBeGreaterThanOrEqual(DEFAULT_RULES.minDwellMs);
					if (choice.key && choice.key !== current?.key) {
						expect(probes.find((p) => p.key === choice.key)?.ok).toBe(true);
						current = { key: choice.key, since: now };
					}
				}
			})
		);
	});
});

describe('the choice while connecting', () => {
	const order = [{ key: 'lan' }, { key: 'relay' }];
	it('takes the LAN as soon as it answers, without waiting for the relay', () => {
		expect(earlyChoice(order, new Map([['lan', lan(5)]]))).toBe('lan');
	});
	it('waits for the LAN while it has not answered, even if the relay has', () => {
		expect(earlyChoice(order, new Map([['relay', relay(100)]]))).toBeNull();
	});
	it('takes the relay once the LAN has failed', () => {
		expect(earlyChoice(order, new Map([['lan', lan(null)], ['relay', relay(100)]]))).toBe('relay');
		expect(earlyChoice(order, new Map([['lan', lan(null)], ['relay', relay(null)]]))).toBeNull();
	});
});

describe('when to decide again', () => {
	const ctx = { online: true, lastProbeAt: T, now: T + 100 };
	it('offline: never (nothing would answer)', () => {
		expect(shouldRedecide('offline', ctx)).toBe(false);
		expect(shouldRedecide('online', { ...ctx, online: false })).toBe(false);
	});
	it('back online or a changed network: always, even right after a probe', () => {
		expect(shouldRedecide('online', ctx)).toBe(true);
		expect(shouldRedecide('network-change', ctx)).toBe(true);
	});
	it('a burst of failed requests is one round of probes', () => {
		expect(shouldRedecide('request-failed', ctx)).toBe(false);
		expect(shouldRedecide('request-failed', { ...ctx, now: T + MIN_PROBE_GAP_MS })).toBe(true);
		expect(shouldRedecide('visible', { ...ctx, lastProbeAt: null })).toBe(true);
	});
	it('a failure on a route no longer in use changes nothing', () => {
		expect(shouldRedecide('stream-lost', { ...ctx, now: T + 60_000, onCurrentRoute: false })).toBe(false);
		expect(shouldRedecide('stream-lost', { ...ctx, onCurrentRoute: true })).toBe(true);
	});
	it('looks for the LAN by timer only while on the relay', () => {
		expect(nextRecheck({ kind: 'relay' }, true, T)).toBe(T + RECHECK_MS);
		expect(nextRecheck({ kind: 'lan' }, true, T)).toBeNull();
		expect(nextRecheck({ kind: 'relay' }, false, T)).toBeNull();
	});
});
