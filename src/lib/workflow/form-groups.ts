// Where each prompt node's fields go in the form: the workflow group (frame) holding the node, else a group of
// its own named by the node's title.
import type { ApiPrompt, ObjectInfo } from '../comfy/types';
import type { UiGroup, UiNode, UiWorkflow } from './types';

export interface Placement {
	title: string;
	group: string;
}

export interface Placements {
	get(nodeId: string): Placement | undefined;
	groupTitle(groupId: string): string | undefined;
}

function point(pos: unknown): [number, number] | undefined {
	if (Array.isArray(pos) && typeof pos[0] === 'number' && typeof pos[1] === 'number') return [pos[0], pos[1]];
	if (pos && typeof pos === 'object') {
		const p = pos as Record<string, unknown>;
		if (typeof p[0] === 'number' && typeof p[1] === 'number') return [p[0], p[1]];
	}
	return undefined;
}

function containingGroup(groups: UiGroup[], node: UiNode): number | undefined {
	const p = point(node.pos);
	if (!p) return undefined;
	let best: number | undefined;
	let bestArea = Infinity;
	groups.forEach((g, i) => {
		const b = g?.bounding;
		if (!Array.isArray(b) || b.length < 4) return;
		const [x, y, w, h] = b;
		if (p[0] >= x && p[0] <= x + w && p[1] >= y && p[1] <= y + h && w * h < bestArea) {
			best = i;
			bestArea = w * h;
		}
	});
	return best;
}

/** "workflow>IP2PSampler" → "IP2PSampler"; subgraph UUIDs give nothing. */
function groupName(type: string | undefined): string | undefined {
	const m = type ? /^workflow[>/](.+)$/.exec(type) : null;
	return m ? m[1] : undefined;
}

export function placeNodes(prompt: ApiPrompt, objectInfo: ObjectInfo, workflow: UiWorkflow | undefined): Placements {
	const uiNodes = new Map((workflow?.nodes ?? []).map((n) => [String(n.id), n]));
	const groups = Array.isArray(workflow?.groups) ? workflow.groups : [];
	const titles = new Map<string, string>();
	const placed = new Map<string, Placement>();
	for (const [id, node] of Object.entries(prompt)) {
		const top = id.split(':')[0];
		const ui = uiNodes.get(id) ?? uiNodes.get(top);
		const title = uiNodes.get(id)?.title ?? node._meta?.title ?? objectInfo[node.class_type]?.display_name ?? node.class_type;
		const g = ui ? containingGroup(groups, ui) : undefined;
		if (g !== undefined) {
			const gid = `group:${g}`;
			titles.set(gid, String(groups[g].title ?? `Group ${g + 1}`));
			placed.set(id, { title, group: gid });
			continue;
		}
		// Inner nodes of a subgraph or legacy group node share a group named after the node that holds them.
		const inner = top !== id && ui !== undefined;
		const gid = `node:${inner ? top : id}`;
		placed.set(id, { title, group: gid });
		if (!titles.has(gid) || !inner) titles.set(gid, inner ? (ui?.title ?? groupName(ui?.type) ?? title) : title);
	}
	return { get: (id) => placed.get(id), groupTitle: (gid) => titles.get(gid) };
}
