import { describe, expect, it } from 'vitest';
import {
	deleteServer,
	deleteSetting,
	deleteSettingsWithPrefix,
	getServer,
	getSetting,
	listServers,
	saveServer,
	setSetting
} from '$lib/storage';
import { useFreshDatabase } from './setup';

useFreshDatabase();

describe('server storage', () => {
	it('keeps LAN and relay servers side by side, in the order they were added', async () => {
		const lan = await saveServer({ kind: 'lan', name: 'Desk', baseUrl: 'http://192.168.1.5:8188', createdAt: 1 });
		const relay = await saveServer({ kind: 'relay', name: 'Home', baseUrl: 'https://pocket.example', deviceId: 'd', token: 't', createdAt: 2 });
		expect((await listServers()).map((s) => s.kind)).toEqual(['lan', 'relay']);
		expect(await getServer(relay.id)).toMatchObject({ token: 't', deviceId: 'd' });
		await deleteServer(lan.id);
		expect((await listServers()).map((s) => s.id)).toEqual([relay.id]);
	});
});

describe('settings storage', () => {
	it('returns the fallback for a missing key and the stored value otherwise', async () => {
		expect(await getSetting('theme')).toBeUndefined();
		expect(await getSetting('theme', 'system')).toBe('system');
		await setSetting('theme', 'dark');
		expect(await getSetting('theme', 'system')).toBe('dark');
		await deleteSetting('theme');
		expect(await getSetting('theme', 'light')).toBe('light');
	});

	it('clears every key under a prefix and leaves the others', async () => {
		await setSetting('cache:objectInfo:a', { x: 1 });
		await setSetting('cache:objectInfo:b', { x: 2 });
		await setSetting('theme', 'dark');
		expect(await deleteSettingsWithPrefix('cache:')).toBe(2);
		expect(await getSetting('cache:objectInfo:a')).toBeUndefined();
		expect(await getSetting('theme')).toBe('dark');
	});
});
