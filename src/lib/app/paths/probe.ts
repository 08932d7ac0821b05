// One probe of one way in: GET /system_stats through that route's own API client, timed. The answer also gives the
// server's identity (fingerprint.ts), so a LAN address and a relay can be recognised as the same ComfyUI.
import type { SystemStats } from '$lib/comfy/types';
import type { ProbeResult, RouteKind } from './choose';

/** A direct LAN address answers in well under a second; a relay through Cloudflare may need longer. */
export const PROBE_TIMEOUT_MS: Record<RouteKind, number> = { lan: 2500, relay: 6000 };

export interface ProbeTarget {
	key: string;
	kind: RouteKind;
	systemStats(): Promise<SystemStats>;
}

export interface Probed extends ProbeResult {
	stats?: SystemStats;
	error?: string;
}

export async function probeRoute(target: ProbeTarget, opts: { timeoutMs?: number; now?: () => number } = {}): Promise<Probed> {
	const now = opts.now ?? (() => performance.now());
	const timeoutMs = opts.timeoutMs ?? PROBE_TIMEOUT_MS[target.kind];
	const started = now();
	let timer: ReturnType<typeof setTimeout> | undefined;
	const timeout = new Promise<never>((_, reject) => {
		timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
	});
	try {
		const stats = await Promise.race([target.systemStats(), timeout]);
		return { key: target.key, kind: target.kind, ok: true, latencyMs: Math.max(0, now() - started), stats };
	} catch (err) {
		return { key: target.key, kind: target.kind, ok: false, latencyMs: null, error: err instanceof Error ? err.message : String(err) };
	} finally {
		clearTimeout(timer);
	}
}
