// The connection pill's words and colour, from the session's state, in the active language. No state of its own, so
// every case is unit-tested.
import type { ConnectionStatus } from '$lib/comfy/transport';
import { m } from '$lib/i18n';

export interface PillInput {
	hasServer: boolean;
	online: boolean;
	status: ConnectionStatus;
	via: 'lan' | 'relay' | 'pool' | null;
	simulated: boolean;
	lastEventAt: number | null;
	now: number;
	/** Why the connection is not live, from the transport (e.g. "The relay is reconnecting to ComfyUI"). */
	error?: string;
	/** A server with several ways in: the one in use ("home Wi-Fi", "relay", "Tailscale"). */
	path?: string;
	/** A pool (issue 11): how many of its rigs answer, and how many it has. */
	pool?: { live: number; total: number };
}

export interface PillLabel {
	text: string;
	title: string;
	tone: 'live' | 'warn' | 'bad' | 'idle';
}

export function ago(ms: number): string {
	const s = Math.max(0, Math.round(ms / 1000));
	if (s < 60) return m.pill_ago_s({ n: s });
	const minutes = Math.floor(s / 60);
	if (minutes < 60) return m.pill_ago_m({ n: minutes });
	return m.pill_ago_h({ n: Math.floor(minutes / 60) });
}

export function connectionLabel(input: PillInput): PillLabel {
	if (!input.hasServer) return { text: m.pill_no_server(), title: m.pill_no_server_title(), tone: 'idle' };
	const through = input.path ?? (input.via === 'relay' ? m.pill_relay() : m.pill_lan());
	const via = input.path ? m.pill_via({ path: input.path }) : through;
	const sim = input.simulated ? ` · ${m.pill_simulated()}` : '';
	const last = input.lastEventAt === null ? '' : m.pill_last_event({ ago: ago(input.now - input.lastEventAt) });
	if (!input.online) return { text: m.pill_phone_offline(), title: m.pill_phone_offline_title(), tone: 'bad' };
	if (input.pool) return poolLabel(input, input.pool);
	switch (input.status) {
		case 'live':
			return { text: `${via} · ${m.pill_live()}${sim}`, title: `${m.pill_title_live({ through })}${last ? `, ${last}` : ''}`, tone: 'live' };
		case 'connecting':
			return { text: `${via} · ${m.pill_connecting()}${sim}`, title: m.pill_title_connecting({ through }), tone: 'warn' };
		case 'reconnecting':
			return { text: `${via} · ${m.pill_reconnecting()}${last ? ` · ${last}` : ''}`, title: input.error ?? `${m.pill_title_lost()}${last ? `, ${last}` : ''}`, tone: 'warn' };
		case 'offline':
			return { text: `${via} · ${m.pill_offline()}${last ? ` · ${last}` : ''}`, title: `${input.error ?? m.pill_unreachable()} ${m.pill_tap_test()}`, tone: 'bad' };
		case 'idle':
			return { text: `${via} · ${m.pill_not_connected()}`, title: m.pill_title_idle(), tone: 'idle' };
	}
}

/** A pool's pill: what counts is how many rigs answer ("Pool · 2 of 2 rigs live"). */
function poolLabel(input: PillInput, pool: { live: number; total: number }): PillLabel {
	const rigs = m.pill_rigs({ count: pool.total });
	const counted = m.pill_pool_live({ live: pool.live, rigs });
	if (input.status === 'connecting' || (input.status === 'idle' && pool.live === 0)) {
		return { text: `${m.pill_pool()} · ${m.pill_connecting()}`, title: m.pill_pool_connecting_title({ rigs }), tone: 'warn' };
	}
	if (pool.live === 0) {
		return { text: `${m.pill_pool()} · ${m.pill_pool_none()}`, title: `${input.error ?? m.pill_pool_unreachable()} ${m.pill_pool_tap_settings()}`, tone: 'bad' };
	}
	const tone = pool.live < pool.total ? 'warn' : 'live';
	return { text: `${m.pill_pool()} · ${counted}`, title: m.pill_pool_title({ counted }), tone };
}
