// Subscriber sets for EventStreams and the JobTracker: one listener that throws must not starve the others,
// nor break the socket or tracker that is notifying them.

export class Listeners<T> {
	readonly #set = new Set<(value: T) => void>();

	/** Returns the unsubscribe function. */
	add(fn: (value: T) => void): () => void {
		this.#set.add(fn);
		return () => this.#set.delete(fn);
	}

	emit(value: T): void {
		for (const fn of [...this.#set]) {
			try {
				fn(value);
			} catch {
				// Deliberately swallowed: the listener's own bug must stay its own.
			}
		}
	}

	get size(): number {
		return this.#set.size;
	}
}
