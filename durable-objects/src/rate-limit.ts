// Failed authentication attempts per client address. In memory: a restart forgets counts, which is acceptable
// because the secrets themselves are long random values; the limit only stops online guessing at volume.

export interface RateLimitOptions {
	maxFailures: number;
	windowMs: number;
	/** Bound on tracked addresses so a flood of spoofed ones cannot grow memory without limit. */
	maxTracked?: number;
}

interface Bucket {
	failures: number;
	windowStart: number;
}

export class FailureLimiter {
	readonly #buckets = new Map<string, Bucket>();
	readonly #opts: Required<RateLimitOptions>;

	constructor(opts: RateLimitOptions, private readonly now: () => number = Date.now) {
		this.#opts = { maxTracked: 10_000, ...opts };
	}

	/** Milliseconds until this address may try again, or 0 when it may try now. */
	retryAfterMs(key: string): number {
		const bucket = this.#current(key);
		if (!bucket || bucket.failures < this.#opts.maxFailures) return 0;
		return bucket.windowStart + this.#opts.windowMs - this.now();
	}

	fail(key: string): void {
		const bucket = this.#current(key) ?? { failures: 0, windowStart: this.now() };
		bucket.failures++;
		this.#buckets.delete(key);
		this.#buckets.set(key, bucket);
		if (this.#buckets.size > this.#opts.maxTracked) {
			const oldest = this.#buckets.keys().next().value;
			if (oldest !== undefined) this.#buckets.delete(oldest);
		}
	}

	#current(key: string): Bucket | undefined {
		const bucket = this.#buckets.get(key);
		if (bucket && this.now() - bucket.windowStart >= this.#opts.windowMs) {
			this.#buckets.delete(key);
			return undefined;
		}
		return bucket;
	}
}
