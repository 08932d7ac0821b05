import { afterEach, describe, expect, it } from 'vitest';
import { loadLocale } from '$lib/i18n';
import { ANNOUNCE_MIN_GAP_MS, ProgressAnnouncer } from '../../../src/lib/app/run/announce';
import { generateBlocker } from '../../../src/lib/app/run/generate.service';

describe('ProgressAnnouncer', () => {
	it('speaks on start, on each new quarter at most every 5 s, and when done', () => {
		const sut = new ProgressAnnouncer();
		const said: (string | null)[] = [];
		said.push(sut.next({ status: 'running', progress: 0, label: 'Run' }, 0));
		said.push(sut.next({ status: 'running', progress: 0.3, label: 'Run' }, 1000));
		said.push(sut.next({ status: 'running', progress: 0.3, label: 'Run' }, ANNOUNCE_MIN_GAP_MS + 1));
		said.push(sut.next({ status: 'running', progress: 0.35, label: 'Run' }, ANNOUNCE_MIN_GAP_MS + 2));
		said.push(sut.next({ status: 'running', progress: 0.8, label: 'Run' }, 2 * ANNOUNCE_MIN_GAP_MS + 5));
		said.push(sut.next({ status: 'succeeded', progress: 1, label: 'Run' }, 2 * ANNOUNCE_MIN_GAP_MS + 6));
		said.push(sut.next({ status: 'succeeded', progress: 1, label: 'Run' }, 3 * ANNOUNCE_MIN_GAP_MS));
		expect(said).toEqual(['Run: started', null, 'Run: 25% done', null, 'Run: 75% done', 'Run: done', null]);
	});

	it('stays quiet through a flood of frames between two quarters', () => {
		const sut = new ProgressAnnouncer();
		sut.next({ status: 'running', progress: 0, label: 'Run' }, 0);
		const spoken = Array.from({ length: 1000 }, (_, i) =>
			sut.next({ status: 'running', progress: i / 5000, label: 'Run' }, i * 4)
		).filter(Boolean);
		expect(spoken).toEqual([]);
	});

	it('announces a stop and a failure even right after another announcement', () => {
		const sut = new ProgressAnnouncer();
		sut.next({ status: 'running', progress: 0, label: 'Run 1 of 2' }, 0);
		expect(sut.next({ status: 'stopped', progress: 0.1, label: 'Run 1 of 2' }, 10)).toBe('Run 1 of 2: stopped');
		expect(sut.next({ status: 'queued', progress: 0, label: 'Run 2 of 2' }, 20)).toBe('Run 2 of 2: queued');
		expect(sut.next({ status: 'failed', progress: 0, label: 'Run 2 of 2' }, 30)).toBe('Run 2 of 2: failed');
	});

	describe('in the active language', () => {
		afterEach(() => loadLocale('en'));

		it('speaks German when German is active, with the run label as given and the percentage in place', async () => {
			await loadLocale('de');
			const sut = new ProgressAnnouncer();
			expect(sut.next({ status: 'running', progress: 0, label: 'Lauf 1 von 2' }, 0)).toBe('Lauf 1 von 2: gestartet');
			expect(sut.next({ status: 'running', progress: 0.5, label: 'Lauf 1 von 2' }, ANNOUNCE_MIN_GAP_MS)).toBe('Lauf 1 von 2: 50 % fertig');
			expect(sut.next({ status: 'failed', progress: 0.5, label: 'Lauf 1 von 2' }, ANNOUNCE_MIN_GAP_MS + 1)).toBe('Lauf 1 von 2: fehlgeschlagen');
		});

		it("Generate's blocker is read at call time, so it follows a language loaded after the module", async () => {
			const env = { serverId: 's', status: 'live' as const, online: false };
			expect(generateBlocker(env, true)).toMatch(/^You are offline\. Generating needs the server/);
			await loadLocale('ja');
			expect(generateBlocker(env, true)).toBe('オフラインです。生成にはサーバーが必要です。フォームと結果はオフラインでも使えます。');
		});
	});
});
