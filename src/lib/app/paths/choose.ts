// Which way in to a server to use, as pure functions of what the probes measured (issue 12: home and away).
// A direct route (LAN, Tailscale) is preferred over the relay: it is one hop, costs no relay traffic and gets this
// tab's own previews. The relay wins only when no direct route answers, or when it is much faster. Once on a route,
// the app stays there unless it fails or another is clearly faster and the current one has been kept a while, so a
// noisy network does not make it flap.

export type RouteKind = 'lan' | 'relay';

export interface ProbeResult {
	key: string;
	kind: RouteKind;
	ok: boolean;
	/** Round trip of the probe (GET /system_stats), when it answered. */
	latencyMs: number | null;
}

export interface CurrentRoute {
	key: string;
	/** ms epoch when the app moved to it. */
	since: number;
}

export interface ChoiceRules {
	/** Added to the relay's latency before comparing: a direct route that answers is nearly always the one to use. */
	relayPenaltyMs: number;
	/** Another route must be faster than the current one by this much (ms)… */
	switchMarginMs: number;
	/** …and by this share of the current latency. */
	switchMarginRatio: number;
	/** A working route is kept at least this long before a faster one may replace it. */
	minDwellMs: number;
}

export const DEFAULT_RULES: ChoiceRules = { relayPenaltyMs: 150, switchMarginMs: 30, switchMarginRatio: 0.3, minDwellMs: 10_000 };

export type ChoiceReason = 'first' | 'current-failed' | 'faster' | 'stay' | 'none-answered';

export interface Choice {
	/** The route to use; null when none answered and none was in use. */
	key: string | null;
	reason: ChoiceReason;
	/** When staying only because of the dwell time: decide again at this time (ms epoch). */
	recheckAt?: number;
}

function effective(p: ProbeResult, rules: ChoiceRules): number {
	return (p.latencyMs ?? Number.POSITIVE_INFINITY) + (p.kind === 'relay' ? rules.relayPenaltyMs : 0);
}

/** The best answering route: lowest effective latency; ties go to direct routes, then to the listed order. */
export function bestRoute(probes: readonly ProbeResult[], rules: ChoiceRules = DEFAULT_RULES): ProbeResult | null {
	let best: ProbeResult | null = null;
	for (const p of probes) {
		if (!p.ok) continue;
		if (!best || effective(p, rules) < effective(best, rules) || (effective(p, rules) === effective(best, rules) && best.kind === 'relay' && p.kind !== 'relay')) best = p;
	}
	return best;
}

/** Decides the route after a round of probes. */
export function chooseRoute(probes: readonly ProbeResult[], current: CurrentRoute | null, now: number, rules: ChoiceRules = DEFAULT_RULES): Choice {
	const best = bestRoute(probes, rules);
	if (!best) return { key: current?.key ?? null, reason: 'none-answered' };
	if (!current) return { key: best.key, reason: 'first' };
	const mine = probes.find((p) => p.key === current.key);
	if (!mine?.ok) return { key: best.key, reason: 'current-failed' };
	if (best.key === current.key) return { key: current.key, reason: 'stay' };
	const gain = effective(mine, rules) - effective(best, rules);
	const clearlyFaster = gain > rules.switchMarginMs && gain > effective(mine, rules) * rules.switchMarginRatio;
	if (!clearlyFaster) return { key: current.key, reason: 'stay' };
	const dwellEnds = current.since + rules.minDwellMs;
	if (now < dwellEnds) return { key: current.key, reason: 'stay', recheckAt: dwellEnds };
	return { key: best.key, reason: 'faster' };
}

/**
 * The choice while probes are still coming in (connecting): a route may be taken as soon as every route listed
 * before it has failed, so at home the LAN is used the moment it answers, and away the relay does not wait out
 * the LAN's timeout once the LAN has been refused. Routes are listed direct first. Null: wait for more answers.
 */
export function earlyChoice(order: readonly { key: string }[], settled: ReadonlyMap<string, ProbeResult>): string | null {
	for (const { key } of order) {
		const result = settled.get(key);
		if (!result) return null;
		if (result.ok) return key;
	}
	return null;
}

export type Trigger = 'start' | 'online' | 'offline' | 'network-change' | 'visible' | 'request-failed' | 'stream-lost' | 'timer';

export interface RedecideContext {
	online: boolean;
	/** ms epoch of the last round of probes; null before the first. */
	lastProbeAt: number | null;
	now: number;
	/** The failed request or lost stream was on the route in use (not a stale one). */
	onCurrentRoute?: boolean;
}

/** Rounds of probes closer than this are not repeated for soft triggers (a burst of failed requests is one event). */
export const MIN_PROBE_GAP_MS = 2000;

/** Whether a trigger should start a round of probes. */
export function shouldRedecide(trigger: Trigger, ctx: RedecideContext): boolean {
	if (!ctx.online || trigger === 'offline') return false;
	if (trigger === 'start' || trigger === 'online' || trigger === 'network-change') return true;
	if ((trigger === 'request-failed' || trigger === 'stream-lost') && ctx.onCurrentRoute === false) return false;
	// The socket in use dropped (once per live spell): the strongest sign the phone changed networks.
	if (trigger === 'stream-lost') return true;
	return ctx.lastProbeAt === null || ctx.now - ctx.lastProbeAt >= MIN_PROBE_GAP_MS;
}

/** While a direct route exists but is not the one in use (or nothing answers), look again this often. */
export const RECHECK_MS = 30_000;

/** When to probe again by timer: null when the preferred kind of route is already in use. */
export function nextRecheck(current: { kind: RouteKind } | null, hasDirect: boolean, now: number): number | null {
	if (current && (current.kind !== 'relay' || !hasDirect)) return null;
	return now + RECHECK_MS;
}
