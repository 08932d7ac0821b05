// The prompt queue of the real server: a heap on (number, prompt_id), a map of running items, and a `status`
// broadcast (through onChange) on every put, get, delete, wipe and completion.
import type { QueueItem } from '../../src/lib/comfy/types';
import { heapify, heapPop, heapPush } from './heap';

function less(a: QueueItem, b: QueueItem): boolean {
	if (a[0] !== b[0]) return a[0] < b[0];
	return a[1] < b[1];
}

export interface Task {
	id: number;
	item: QueueItem;
}

export class PromptQueue {
	#pending: QueueItem[] = [];
	#running = new Map<number, QueueItem>();
	#taskCounter = 0;
	#wake: (() => void) | null = null;
	#closed = false;

	constructor(private readonly onChange: () => void) {}

	put(item: QueueItem): void {
		heapPush(this.#pending, item, less);
		this.onChange();
		this.#wake?.();
	}

	/** Waits for the next item and marks it running; null once the queue is closed. */
	async get(): Promise<Task | null> {
		while (this.#pending.length === 0 && !this.#closed) {
			await new Promise<void>((resolve) => (this.#wake = resolve));
			this.#wake = null;
		}
		if (this.#closed) return null;
		const item = heapPop(this.#pending, less)!;
		const id = this.#taskCounter++;
		this.#running.set(id, item);
		this.onChange();
		return { id, item };
	}

	/** Removes a finished task; `record` stores its history entry before the status broadcast, as the server does. */
	taskDone(id: number, record: (item: QueueItem) => void): void {
		const item = this.#running.get(id);
		this.#running.delete(id);
		if (item) record(item);
		this.onChange();
	}

	remaining(): number {
		return this.#pending.length + this.#running.size;
	}

	running(): QueueItem[] {
		return [...this.#running.values()];
	}

	/** Pending items in heap order (what GET /queue shows), not sorted. */
	pending(): QueueItem[] {
		return [...this.#pending];
	}

	isRunning(promptId: string): boolean {
		return this.running().some((item) => item[1] === promptId);
	}

	wipe(): void {
		this.#pending = [];
		this.onChange();
	}

	delete(promptId: string): boolean {
		const index = this.#pending.findIndex((item) => item[1] === promptId);
		if (index < 0) return false;
		if (this.#pending.length === 1) {
			this.wipe();
			return true;
		}
		this.#pending.splice(index, 1);
		heapify(this.#pending, less);
		this.onChange();
		return true;
	}

	close(): void {
		this.#closed = true;
		this.#wake?.();
	}
}
