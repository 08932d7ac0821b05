// Prompt roles: which text fields are the positive and negative prompts, found by tracing the samplers' and
// guiders' conditioning inputs back to the nodes whose text produced them.
import type { ApiPrompt, ObjectInfo } from '../comfy/types';
import type { PromptRole } from './types';
import { specOptions, specType } from './widgets';

/**
 * Conditioning inputs of samplers and guiders, and the role each one carries. DualCFGGuider's cond2 is left out:
 * workflows feed it the negative text as often as the positive one.
 */
const ROLE_INPUTS: Record<string, PromptRole> = {
	positive: 'positive',
	negative: 'negative',
	cond1: 'positive'
};
const GUIDER_CONDITIONING: Record<string, PromptRole> = { BasicGuider: 'positive' };

const MAX_STEPS = 200;

/**
 * Field id (`node.input`) → role. A text reaching both (a negative made by zeroing out the positive, a guider fed
 * the positive text as its negative) is the positive prompt.
 */
export function findRoles(prompt: ApiPrompt, objectInfo: ObjectInfo): Map<string, PromptRole> {
	const found = new Map<string, Set<PromptRole>>();
	for (const [id, node] of Object.entries(prompt)) {
		for (const [name, value] of Object.entries(node.inputs)) {
			const role = name === 'conditioning' ? GUIDER_CONDITIONING[node.class_type] : isSamplerLike(node.class_type, objectInfo) ? ROLE_INPUTS[name] : undefined;
			if (!role || !isLink(value)) continue;
			for (const field of traceText(prompt, objectInfo, value[0], value[1], id)) {
				const roles = found.get(field) ?? new Set<PromptRole>();
				roles.add(role);
				found.set(field, roles);
			}
		}
	}
	const out = new Map<string, PromptRole>();
	for (const [field, roles] of found) out.set(field, roles.has('positive') ? 'positive' : 'negative');
	return out;
}

/** Samplers and guiders consume conditioning without producing it. */
function isSamplerLike(classType: string, objectInfo: ObjectInfo): boolean {
	const def = objectInfo[classType];
	if (!def) return false;
	return !def.output.some((t) => t === 'CONDITIONING');
}

function isLink(v: unknown): v is [string, number] {
	return Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && typeof v[1] === 'number';
}

/** Multiline text widgets upstream of one conditioning link, stopping at the first text node on each path. */
function traceText(prompt: ApiPrompt, objectInfo: ObjectInfo, start: string, startSlot: number, from: string): string[] {
	const fields: string[] = [];
	const seen = new Set<string>([from]);
	const queue: [string, number][] = [[start, startSlot]];
	let steps = 0;
	while (queue.length > 0 && steps++ < MAX_STEPS) {
		const [id, slot] = queue.shift() as [string, number];
		if (seen.has(id)) continue;
		seen.add(id);
		const node = prompt[id];
		const def = node ? objectInfo[node.class_type] : undefined;
		if (!node || !def) continue;
		const specs = { ...def.input.required, ...def.input.optional };
		const texts = Object.keys(node.inputs).filter((name) => {
			const spec = specs[name];
			return spec && specType(spec) === 'STRING' && specOptions(spec).multiline && typeof node.inputs[name] === 'string';
		});
		if (texts.length > 0) {
			fields.push(...texts.map((t) => `${id}.${t}`));
			continue;
		}
		// A node passing positive and negative through (ControlNetApplyAdvanced…) continues on the matching input.
		const outName = String(def.output_name?.[slot] ?? def.output[slot] ?? '').toLowerCase();
		const conditioning = Object.entries(node.inputs).filter(([name, v]) => {
			const spec = specs[name];
			return isLink(v) && (!spec || specType(spec) === 'CONDITIONING');
		});
		const same = conditioning.filter(([name]) => name.toLowerCase() === outName);
		for (const [, v] of same.length > 0 ? same : conditioning) queue.push([(v as [string, number])[0], (v as [string, number])[1]]);
	}
	return fields;
}
