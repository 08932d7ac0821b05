import { describe, expect, it } from 'vitest';
import { ago, connectionLabel, type PillInput } from '$lib/components/shell/status-label';

const base: PillInput = { hasServer: true, online: true, status: 'live', via: 'lan', simulated: false, lastEventAt: 1000, now: 13_000 };

describe('connection pill', () => {
	it('says live with the route, and "simulated" when the relay serves the emulator', () => {
		expect(connectionLabel(base)).toMatchObject({ text: 'LAN · live', tone: 'live' });
		expect(connectionLabel({ ...base, via: 'relay', simulated: true }).text).toBe('relay · live · simulated');
	});

	it('shows the time of the last event while reconnecting or offline', () => {
		expect(connectionLabel({ ...base, status: 'reconnecting' })).toMatchObject({ text: 'LAN · reconnecting · last event 12s ago', tone: 'warn' });
		expect(connectionLabel({ ...base, status: 'offline', now: 1000 + 5 * 60_000 })).toMatchObject({ text: 'LAN · offline · last event 5m ago', tone: 'bad' });
		expect(connectionLabel({ ...base, status: 'offline', lastEventAt: null }).text).toBe('LAN · offline');
		expect(connectionLabel({ ...base, via: 'relay', status: 'reconnecting', error: 'The relay is reconnecting to ComfyUI' }).title).toBe(
			'The relay is reconnecting to ComfyUI'
		);
	});

	it('tells a phone without network apart from a server that is down, and no server at all', () => {
		expect(connectionLabel({ ...base, online: false }).text).toBe('Phone offline');
		expect(connectionLabel({ ...base, hasServer: false }).text).toBe('No server');
		expect(connectionLabel({ ...base, status: 'connecting' }).tone).toBe('warn');
	});

	it('counts a pool\'s live rigs', () => {
		const pool = { ...base, via: 'pool' as const };
		expect(connectionLabel({ ...pool, pool: { live: 2, total: 2 } })).toMatchObject({ text: 'Pool · 2 of 2 rigs live', tone: 'live' });
		expect(connectionLabel({ ...pool, pool: { live: 1, total: 2 } })).toMatchObject({ text: 'Pool · 1 of 2 rigs live', tone: 'warn' });
		expect(connectionLabel({ ...pool, status: 'offline', pool: { live: 0, total: 2 } })).toMatchObject({ text: 'Pool · no rig live', tone: 'bad' });
		expect(connectionLabel({ ...pool, status: 'connecting', pool: { live: 0, total: 3 } }).text).toBe('Pool · connecting');
		expect(connectionLabel({ ...pool, online: false, pool: { live: 2, total: 2 } }).text).toBe('Phone offline');
	});

	it('rounds elapsed time to seconds, minutes and hours', () => {
		expect(ago(400)).toBe('0s ago');
		expect(ago(59_400)).toBe('59s ago');
		expect(ago(61_000)).toBe('1m ago');
		expect(ago(3 * 3600_000)).toBe('3h ago');
	});
});
