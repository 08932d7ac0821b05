// The connection pill's words and colour, from the session's state. Pure, so every case is unit-tested.
import type { ConnectionStatus } from '$lib/comfy/transport';

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
	if (s < 60) return `${s}s ago`;
	const m = Math.floor(s / 60);
	if (m < 60) return `${m}m ago`;
	return `${Math.floor(m / 60)}h ago`;
}

export function connectionLabel(input: PillInput): PillLabel {
	if (!input.hasServer) return { text: 'No server', title: 'Add a ComfyUI server in Settings', tone: 'idle' };
	const through = input.path ?? (input.via === 'relay' ? 'relay' : 'LAN');
	const via = input.path ? `via ${input.path}` : through;
	const sim = input.simulated ? ' · simulated' : '';
	const last = input.lastEventAt === null ? '' : `last event ${ago(input.now - input.lastEventAt)}`;
	if (!input.online) return { text: 'Phone offline', title: 'This device has no network. Library and History still work.', tone: 'bad' };
	if (input.pool) return poolLabel(input, input.pool);
	switch (input.status) {
		case 'live':
			return { text: `${via} · live${sim}`, title: `Connected through ${through}${last ? `, ${last}` : ''}`, tone: 'live' };
		case 'connecting':
			return { text: `${via} · connecting${sim}`, title: `Connecting through ${through}`, tone: 'warn' };
		case 'reconnecting':
			return { text: `${via} · reconnecting${last ? ` · ${last}` : ''}`, title: input.error ?? `Connection lost; retrying${last ? `, ${last}` : ''}`, tone: 'warn' };
		case 'offline':
			return { text: `${via} · offline${last ? ` · ${last}` : ''}`, title: `${input.error ?? 'The server cannot be reached.'} Tap for the connection test.`, tone: 'bad' };
		case 'idle':
			return { text: `${via} · not connected`, title: 'Not connected', tone: 'idle' };
	}
}

/** A pool's pill: what counts is how many rigs answer ("Pool · 2 of 2 rigs live"). */
function poolLabel(input: PillInput, pool: { live: number; total: number }): PillLabel {
	const counted = `${pool.live} of ${pool.total} rig${pool.total === 1 ? '' : 's'} live`;
	if (input.status === 'connecting' || (input.status === 'idle' && pool.live === 0)) {
		return { text: 'Pool · connecting', title: `Connecting to the pool's ${pool.total} rigs`, tone: 'warn' };
	}
	if (pool.live === 0) return { text: 'Pool · no rig live', title: `${input.error ?? 'None of the pool\'s rigs can be reached.'} Tap for the rigs in Settings.`, tone: 'bad' };
	const tone = pool.live < pool.total ? 'warn' : 'live';
	return { text: `Pool · ${counted}`, title: `${counted}; each run goes to a rig that can run it soonest. Tap for the rigs.`, tone };
}
