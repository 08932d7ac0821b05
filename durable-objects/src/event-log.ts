// The bounded replay log of text envelopes. Previews take sequence numbers too but are not logged: a phone that
// resumes gets every control and result event after its last seq, and the newest preview via the snapshot.

export interface EventLogOptions {
	maxEntries: number;
	maxBytes: number;
}

export class EventLog {
	#seq = 0;
	/** Highest seq whose envelope was evicted; a phone that saw less than this cannot be replayed to. */
	#evictedThrough = 0;
	#bytes = 0;
	readonly #entries: { seq: number; text: string }[] = [];

	constructor(private readonly opts: EventLogOptions = { maxEntries: 2000, maxBytes: 4 * 1024 * 1024 }) {}

	get seq(): number {
		return this.#seq;
	}

	/** Allocates the next seq without logging anything (previews). */
	next(): number {
		return ++this.#seq;
	}

	/** Allocates a seq, builds the envelope for it and keeps it for replay. */
	append(build: (seq: number) => string): { seq: number; text: string } {
		const seq = ++this.#seq;
		const text = build(seq);
		this.#entries.push({ seq, text });
		this.#bytes += text.length;
		while (this.#entries.length > this.opts.maxEntries || (this.#bytes > this.opts.maxBytes && this.#entries.length > 1)) {
			const dropped = this.#entries.shift();
			if (!dropped) break;
			this.#bytes -= dropped.text.length;
			this.#evictedThrough = dropped.seq;
		}
		return { seq, text };
	}

	/** The envelopes after `since`, or null when some of them are no longer kept (or `since` is from the future). */
	since(since: number): string[] | null {
		if (!Number.isInteger(since) || since < this.#evictedThrough || since > this.#seq) return null;
		let start = this.#entries.length;
		while (start > 0 && this.#entries[start - 1].seq > since) start--;
		return this.#entries.slice(start).map((e) => e.text);
	}
}
