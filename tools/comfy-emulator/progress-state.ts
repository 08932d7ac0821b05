// The per-prompt progress registry behind `progress_state` messages: every node that started (or finished from
// cache) with its value/max/state; each message carries the whole snapshot.

interface NodeProgress {
	value: number;
	max: number;
	state: 'running' | 'finished';
}

export class ProgressState {
	#nodes = new Map<string, NodeProgress>();

	constructor(private readonly promptId: string) {}

	start(id: string): void {
		this.#nodes.set(id, { value: 0, max: 1, state: 'running' });
	}

	update(id: string, value: number, max: number): void {
		this.#nodes.set(id, { value, max, state: 'running' });
	}

	finish(id: string): void {
		const max = this.#nodes.get(id)?.max ?? 1;
		this.#nodes.set(id, { value: max, max, state: 'finished' });
	}

	snapshot(): Record<string, Record<string, unknown>> {
		const out: Record<string, Record<string, unknown>> = {};
		for (const [id, p] of this.#nodes) {
			out[id] = {
				value: p.value,
				max: p.max,
				state: p.state,
				node_id: id,
				prompt_id: this.promptId,
				display_node_id: id,
				parent_node_id: null,
				real_node_id: id
			};
		}
		return out;
	}
}
