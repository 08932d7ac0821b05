// Import cycles of a graph, pure. Each strongly connected component of more than one file (or a file importing
// itself) is one tangle; it is reported with one shortest cycle through it so the message names the imports to cut.

/** One tangle: its files, sorted, and a shortest cycle among them (`a → b → … → a`, first file repeated last). */
export interface ImportCycle {
	files: string[];
	path: string[];
}

export function findCycles(edges: ReadonlyMap<string, ReadonlySet<string>>): ImportCycle[] {
	return components(edges)
		.filter((c) => c.length > 1 || edges.get(c[0] ?? '')?.has(c[0] ?? ''))
		.map((c) => {
			const files = [...c].sort();
			return { files, path: shortestCycle(edges, files[0] ?? '', new Set(files)) };
		})
		.sort((a, b) => (a.files[0] ?? '').localeCompare(b.files[0] ?? ''));
}

/** Tarjan's strongly connected components, iterative so a deep import chain cannot overflow the stack. */
function components(edges: ReadonlyMap<string, ReadonlySet<string>>): string[][] {
	const index = new Map<string, number>();
	const low = new Map<string, number>();
	const stack: string[] = [];
	const onStack = new Set<string>();
	const result: string[][] = [];
	let next = 0;
	for (const start of edges.keys()) {
		if (index.has(start)) continue;
		const work: { node: string; children: Iterator<string> }[] = [];
		const enter = (node: string) => {
			index.set(node, next);
			low.set(node, next++);
			stack.push(node);
			onStack.add(node);
			work.push({ node, children: (edges.get(node) ?? new Set<string>()).values() });
		};
		enter(start);
		while (work.length > 0) {
			const frame = work[work.length - 1]!;
			const child = frame.children.next();
			if (!child.done) {
				if (!index.has(child.value)) enter(child.value);
				else if (onStack.has(child.value)) low.set(frame.node, Math.min(low.get(frame.node)!, index.get(child.value)!));
				continue;
			}
			work.pop();
			const parent = work[work.length - 1];
			if (parent) low.set(parent.node, Math.min(low.get(parent.node)!, low.get(frame.node)!));
			if (low.get(frame.node) !== index.get(frame.node)) continue;
			const component: string[] = [];
			let member: string;
			do {
				member = stack.pop()!;
				onStack.delete(member);
				component.push(member);
			} while (member !== frame.node);
			result.push(component);
		}
	}
	return result;
}

/** Breadth-first from `start` back to itself, staying inside its component. */
function shortestCycle(edges: ReadonlyMap<string, ReadonlySet<string>>, start: string, within: Set<string>): string[] {
	const cameFrom = new Map<string, string>();
	const queue = [start];
	for (let i = 0; i < queue.length; i++) {
		const node = queue[i]!;
		for (const next of edges.get(node) ?? []) {
			if (!within.has(next)) continue;
			if (next === start) {
				const between: string[] = [];
				for (let at: string | undefined = node; at !== start && at !== undefined; at = cameFrom.get(at)) between.unshift(at);
				return [start, ...between, start];
			}
			if (cameFrom.has(next)) continue;
			cameFrom.set(next, node);
			queue.push(next);
		}
	}
	return [start];
}
