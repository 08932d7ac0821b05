// A pool's refusals and notices in the user's language. The pool's own code (routing.ts, pool-transport.ts) says
// why as data, with English words for code that runs without the app (tests, benchmarks); the app words it here.
import { m } from '$lib/i18n';
import { formatList } from '$lib/i18n/format';
import type { PoolNotice } from './pool-transport';
import type { Lack, NoRig, RoutingWords } from './routing';

const SHOWN = 3;

function lackText(lack: Lack): string {
	switch (lack.kind) {
		case 'class':
			return m.pool_lack_class({ classType: lack.classType });
		case 'value':
			return lack.model ? m.pool_lack_model({ value: lack.value, input: lack.input }) : m.pool_lack_value({ value: lack.value, field: `${lack.classType}.${lack.input}` });
		case 'unknown':
			return '';
	}
}

function lacksText(lacks: readonly Lack[]): string {
	const words = lacks.filter((l) => l.kind !== 'unknown').map(lackText);
	const shown = formatList(words.slice(0, SHOWN), 'unit');
	return words.length > SHOWN ? m.pool_lacks_more({ shown, count: words.length - SHOWN }) : shown;
}

function reason(why: NoRig): string {
	switch (why.kind) {
		case 'away':
			return m.pool_away({ rigs: formatList(why.rigs.map((r) => (r.down ? m.pool_rig_is_down({ name: r.name }) : m.pool_rig_is_paused({ name: r.name }))), 'unit') });
		case 'no-rigs':
			return m.pool_no_rigs();
		case 'no-answer':
			return m.pool_no_answer();
		case 'nobody-has':
			return m.pool_nobody_has({ lacks: lacksText(why.lacks) });
		case 'none-has-all':
			return m.pool_none_has_all({ parts: why.rigs.map((r) => m.pool_rig_lacks({ name: r.name, lacks: lacksText(r.lacks) })).join('; ') });
	}
}

/** What the app hands a pool transport to word its refusals with. */
export const POOL_WORDS: RoutingWords = {
	reason,
	lackOnField: (lack) => (lack.model ? m.pool_field_model({ value: lack.value }) : m.pool_field_value({ value: lack.value }))
};

/** The Run banner's words for a pool notice (runs moved to another rig, or lost). */
export function poolNoticeText(notice: PoolNotice): string {
	const count = notice.promptIds.length;
	if (notice.kind === 'moved' && notice.to) return m.pool_moved({ runs: m.pool_moved_runs({ count }), from: notice.from, to: notice.to });
	if (notice.kind === 'lost') return m.pool_lost({ from: notice.from, runs: m.pool_lost_runs({ count }) });
	return notice.text;
}
