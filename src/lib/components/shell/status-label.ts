// The connection pill's words and colour, from the session's state. Pure, so every case is unit-tested.
import type { ConnectionStatus } from '$lib/comfy/transport';

export interface PillInput {
	hasServer: boolean;
	online: boolean;
	status: ConnectionStatus;
	via: 'lan' | 'relay' | null;
	simulated: boolean;
	lastEventAt: number | null;
	now: number;
	/** Why the connection is not live, from the transport (e.g. "The relay is reconnecting to ComfyUI"). */
	error?: string;
	/** A server with several ways in: the one in use ("home Wi-Fi", "relay", "Tailscale"). */
	path?: string;
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
