// Failed authentication attempts per client address. In memory: a restart forgets counts, which is acceptable
// because the secrets themselves are long random values; the limit only stops online guessing at volume.

/**
 * The key failures are counted under. An IPv6 client usually holds a whole /64 (2^64 addresses), so counting per
 * address would give it unlimited guesses: IPv6 addresses are grouped by their /64 prefix, IPv4 ones stay whole.
 */
export function rateLimitKey(address: string): string {
	if (!address.includes(':')) return address;
	const [head, tail] = address.toLowerCase().split('::', 2);
	const headGroups = head ? head.split(':') : [];
	const tailGroups = tail === undefined ? [] : tail ? tail.split(':') : [];
	const zeros = tail === undefined ? [] : Array<string>(Math.max(0, 8 - headGroups.length - tailGroups.length)).fill('0');
	const groups = [...headGroups, ...zeros, ...tailGroups];
	return `${groups
		.slice(0, 4)
		.map((g) => g.replace(/^0+(?=.)/, ''))
		.join(':')}::/64`;
}

export interface RateLimitOptions {
	maxFailures: number;
	windowMs: number;
	/** Bound on tracked addresses so a flood of spoofed ones cannot grow memory without limit. */
	maxTracked?: number;
}

/** How one guarded attempt ended: its value, or refused (a failure, or the lockout when retryAfterMs > 0). */
export type Attempt<T> = { ok: true; value: T } | { ok: false; retryAfterMs: number };

interface Bucket {
	failures: number;
	windowStart: number;
}

export class FailureLimiter {
	readonly #buckets = new Map<string, Bucket>();
	readonly #opts: Required<RateLimitOptions>;
	/** Per key, the attempt being decided now; the next one of that key starts only after it. */
	readonly #inFlight = new Map<string, Promise<unknown>>();

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

	/**
	 * Checks the lockout, evaluates the attempt and counts a failure as one step per key. The evaluation is async
	 * (hashing, reading a body), and checking before it and counting after let every concurrent guess pass the check
	 * first: 100 wrong codes at once got 17 evaluations. Attempts of one key now queue behind each other (other keys
	 * run freely), so exactly maxFailures are evaluated and the rest answer 429. `evaluate` returns null for a failure.
	 */
	attempt<T>(key: string, evaluate: () => Promise<T | null>): Promise<Attempt<T>> {
		const decide = async (): Promise<Attempt<T>> => {
			const wait = this.retryAfterMs(key);
			if (wait > 0) return { ok: false, retryAfterMs: wait };
			const value = await evaluate();
			if (value !== null) return { ok: true, value };
			this.fail(key);
			return { ok: false, retryAfterMs: 0 };
		};
		const run = (this.#inFlight.get(key) ?? Promise.resolve()).then(decide);
		const settled = run.then(
			() => undefined,
			() => undefined
		);
		this.#inFlight.set(key, settled);
		void settled.then(() => {
			if (this.#inFlight.get(key) === settled) this.#inFlight.delete(key);
		});
		return run;
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
