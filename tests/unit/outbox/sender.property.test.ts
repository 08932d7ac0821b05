// The outbox's promise under random interleavings (fast-check's scheduler orders every await): two senders, lost
// answers, late requests, failed uploads, refusals, apps killed mid-send or mid-write (the next pass starts from
// storage alone, as after a reload), cancels from another tab and servers that do not answer the question.
// Whatever happens, no prompt_id is ever queued twice and, once the server behaves, every run ends settled:
// sent (queued exactly once and handed to the job list), refused, or cancelled without reaching the server.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { step, TERMINAL } from '$lib/app/outbox/machine';
import { drainOutbox, type SenderOptions } from '$lib/app/outbox/sender';
import { Crash, entry, FakeServer, MemoryStore, mutex, type SendFault } from './fake';

const FAULTS: SendFault[] = ['ok', 'refused', 'lost-before', 'lost-after', 'late', 'upload-fails', 'crash-before', 'crash-after'];
const SETTLE = 3;

const scenario = fc.record({
	runs: fc.integer({ min: 1, max: 5 }),
	faults: fc.array(fc.constantFrom(...FAULTS), { minLength: 1, maxLength: 30 }),
	probeAnswers: fc.array(fc.boolean(), { minLength: 1, maxLength: 10 }),
	/** Per pass: which sender runs it (0/1, both at once = 2), and whether a store write crashes. */
	passes: fc.array(
		fc.record({ who: fc.constantFrom(0, 1, 2), crash: fc.constantFrom(null, 'before', 'after', null, null), tick: fc.integer({ min: 0, max: 4 }) }),
		{ minLength: 1, maxLength: 12 }
	),
	cancels: fc.array(fc.record({ run: fc.nat(), afterPass: fc.nat() }), { maxLength: 3 }),
	retries: fc.array(fc.record({ run: fc.nat(), afterPass: fc.nat() }), { maxLength: 2 })
});

describe('outbox sender (property)', () => {
	it('never queues a prompt_id twice and settles every run', async () => {
		await fc.assert(
			fc.asyncProperty(scenario, fc.scheduler(), async (sc, s) => {
				let clock = 0;
				const now = () => clock;
				const server = new FakeServer();
				const store = new MemoryStore();
				const handedOver = new Set<string>();
				const ids = Array.from({ length: sc.runs }, (_, i) => `00000000-0000-4000-8000-00000000000${i}`);
				for (const [i, id] of ids.entries()) store.rows.set(id, entry(id, i));
				let f = 0;
				let p = 0;
				let chaos = true;
				const fault = () => (chaos ? sc.faults[f++ % sc.faults.length] : 'ok');
				const answers = () => (chaos ? sc.probeAnswers[p++ % sc.probeAnswers.length] : true);
				const lock = mutex();
				const opts: SenderOptions = {
					store: {
						list: (serverId) => s.schedule(store.list(serverId)),
						update: (id, change) => s.schedule(store.update(id, change))
					},
					lock,
					now,
					settleMs: SETTLE,
					onSent: (e) => void handedOver.add(e.promptId)
				};
				const target = server.target('s1', fault, answers, now);
				const pass = () => drainOutbox(target, opts).catch((err: unknown) => {
					if (!(err instanceof Crash)) throw err;
				});
				const tabAction = async (kind: 'cancel' | 'retry', run: number) => {
					const id = ids[run % ids.length];
					await store.update(id, (e) => {
						const next = step(e, { type: kind, at: now() });
						return next === e ? undefined : next;
					}, false);
				};

				for (const [i, { who, crash, tick }] of sc.passes.entries()) {
					store.crashNext = crash;
					clock += tick;
					const running = who === 2 ? [pass(), pass()] : [pass()];
					const others = [...sc.cancels.filter((c) => c.afterPass % sc.passes.length === i).map((c) => tabAction('cancel', c.run)),
						...sc.retries.filter((r) => r.afterPass % sc.passes.length === i).map((r) => tabAction('retry', r.run))];
					await s.waitFor(Promise.all([...running, ...others]));
				}

				// The server behaves from now on; the app opens again (a few times, time passing).
				chaos = false;
				store.crashNext = null;
				for (let round = 0; round < 10; round++) {
					clock += SETTLE;
					await s.waitFor(pass());
				}

				expect(server.violations).toEqual([]);
				for (const id of ids) {
					const row = store.rows.get(id)!;
					const times = server.queued.get(id) ?? 0;
					expect(TERMINAL, `${id} ended ${row.status}`).toContain(row.status);
					if (row.status === 'sent') {
						expect(times).toBe(1);
						expect(handedOver.has(id)).toBe(true);
					} else {
						expect(times, `${id} is ${row.status} but the server has it`).toBe(0);
					}
				}
			}),
			{ numRuns: 1000 }
		);
	});
});
