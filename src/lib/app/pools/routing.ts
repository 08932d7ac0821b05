// Which rig of a pool runs a prompt (issue 11). Pure: the rigs are described by what the pool last observed.
// A rig can run a prompt when its /object_info has every node class the prompt uses and every combo value it
// names (model files, LoRAs, samplers…: ComfyUI's own "value not in list" check, done before sending). Of the rigs
// that can, the one with the shortest queue wins (its own count, running job included, or the jobs this pool has
// there, whichever is larger); equal queues go to the faster rig, then to the earlier one in the pool's order.
import type { ApiPrompt, InputSpec, NodeDef, ObjectInfo } from '$lib/comfy/types';
import { comboOptions, specOptions } from '$lib/workflow/input-spec';

export interface RigView {
	id: string;
	name: string;
	/** Null until the rig's node definitions were read: such a rig is not chosen. */
	objectInfo: ObjectInfo | null;
	paused: boolean;
	down: boolean;
	/** Jobs waiting or running there, as far as the pool knows. */
	load: number;
	/** Last observed time per job; null before the first job finished there. */
	msPerJob: number | null;
}

/** One thing a rig lacks for a prompt. */
export type Lack =
	| { kind: 'class'; classType: string }
	| { kind: 'value'; nodeId: string; classType: string; input: string; value: string; model: boolean }
	| { kind: 'unknown'; reason: 'no-node-info' };

export type Eligibility = { ok: true } | { ok: false; lacks: Lack[] };

/**
 * A failure says why in words; `away` when rigs that could run it are paused or down (the run may wait for them),
 * `missing` what no rig has (to show on the form's fields).
 */
export type Choice = { ok: true; rigId: string } | { ok: false; reason: string; away: boolean; missing: Lack[] };

/** Files a combo lists by name: these are "models" in what the user is told. */
const MODEL_FILE = /\.(safetensors|sft|ckpt|pt|pth|bin|gguf|onnx|pkl|yaml)$/i;

/** What the prompt needs of a rig, checked against that rig's node definitions. */
export function eligibility(prompt: ApiPrompt, objectInfo: ObjectInfo | null, exempt: ReadonlySet<string> = new Set()): Eligibility {
	if (!objectInfo) return { ok: false, lacks: [{ kind: 'unknown', reason: 'no-node-info' }] };
	const lacks: Lack[] = [];
	const seen = new Set<string>();
	for (const [nodeId, node] of Object.entries(prompt)) {
		const def = Object.hasOwn(objectInfo, node.class_type) ? objectInfo[node.class_type] : undefined;
		if (!def) {
			if (!seen.has(`class:${node.class_type}`)) lacks.push({ kind: 'class', classType: node.class_type });
			seen.add(`class:${node.class_type}`);
			continue;
		}
		for (const [input, value] of Object.entries(node.inputs ?? {})) {
			for (const missing of missingValues(def, input, value, exempt)) {
				const key = `value:${node.class_type}:${input}:${missing}`;
				if (seen.has(key)) continue;
				seen.add(key);
				lacks.push({ kind: 'value', nodeId, classType: node.class_type, input, value: missing, model: MODEL_FILE.test(missing) });
			}
		}
	}
	return lacks.length === 0 ? { ok: true } : { ok: false, lacks };
}

/** The values of one input that are not among the rig's options (none for links, free inputs, uploads). */
function missingValues(def: NodeDef, input: string, value: unknown, exempt: ReadonlySet<string>): string[] {
	const spec = specOf(def, input);
	if (!spec || isUploadOrRemote(spec)) return [];
	const options = comboOptions(spec);
	if (!options || options.length === 0) return [];
	const values = typeof value === 'string' ? [value] : multiselectValues(value);
	const allowed = new Set(options.map((o) => String(o)));
	return values.filter((v) => !allowed.has(v) && !exempt.has(v));
}

function specOf(def: NodeDef, input: string): InputSpec | undefined {
	for (const section of [def.input?.required, def.input?.optional]) {
		if (section && Object.hasOwn(section, input)) return section[input];
	}
	return undefined;
}

/** Inputs whose list is the server's input folder or is fetched on demand: the pool cannot judge them. */
function isUploadOrRemote(spec: InputSpec): boolean {
	const o = specOptions(spec);
	return Boolean(o.image_upload || o.video_upload || o.audio_upload || o.upload || o.remote || o.allow_custom);
}

/** A multiselect combo's value goes as `{ "__value__": [...] }` (a bare list would read as a link). */
function multiselectValues(value: unknown): string[] {
	const list = value && typeof value === 'object' && !Array.isArray(value) ? (value as { __value__?: unknown }).__value__ : undefined;
	return Array.isArray(list) ? list.filter((v): v is string => typeof v === 'string') : [];
}

/** The rig that runs `prompt` now, or why none can. */
export function chooseRig(prompt: ApiPrompt, rigs: readonly RigView[], exempt: ReadonlySet<string> = new Set()): Choice {
	const checked = rigs.map((rig) => ({ rig, fit: eligibility(prompt, rig.objectInfo, exempt) }));
	const able = checked.filter((c) => c.fit.ok).map((c) => c.rig);
	const ready = able.filter((rig) => !rig.paused && !rig.down);
	if (ready.length === 0) {
		if (able.length > 0) return { ok: false, reason: everyAbleRigAway(able), away: true, missing: [] };
		const missing = missingEverywhere(checked);
		return { ok: false, reason: nobodyCanRun(checked, missing), away: false, missing };
	}
	let best = ready[0];
	for (const rig of ready.slice(1)) if (better(rig, best, rigs)) best = rig;
	return { ok: true, rigId: best.id };
}

function better(a: RigView, b: RigView, order: readonly RigView[]): boolean {
	if (a.load !== b.load) return a.load < b.load;
	const sa = a.msPerJob ?? Number.POSITIVE_INFINITY;
	const sb = b.msPerJob ?? Number.POSITIVE_INFINITY;
	if (sa !== sb) return sa < sb;
	return order.indexOf(a) < order.indexOf(b);
}

/**
 * Rigs for each prompt of a batch, as if they were sent one after another (each assignment adds to that rig's
 * load). A prompt no rig can run gets its reason; the rest are still placed.
 */
export function planBatch(prompts: readonly ApiPrompt[], rigs: readonly RigView[], exempt: ReadonlySet<string> = new Set()): Choice[] {
	const loads = new Map(rigs.map((r) => [r.id, r.load]));
	return prompts.map((prompt) => {
		const now = rigs.map((r) => ({ ...r, load: loads.get(r.id) ?? r.load }));
		const choice = chooseRig(prompt, now, exempt);
		if (choice.ok) loads.set(choice.rigId, (loads.get(choice.rigId) ?? 0) + 1);
		return choice;
	});
}

function everyAbleRigAway(able: readonly RigView[]): string {
	const names = able.map((r) => `${r.name} (${r.down ? 'down' : 'paused'})`).join(', ');
	return `Every rig that can run this workflow is paused or down: ${names}.`;
}

/** In words: what is missing, for the user to fix (install the node, copy the model) or to pick another server. */
type Checked = readonly { rig: RigView; fit: Eligibility }[];

const lacksOf = (c: { fit: Eligibility }): Lack[] => (c.fit.ok ? [] : c.fit.lacks);

/** What no rig has at all (the clearest thing to tell). */
function missingEverywhere(checked: Checked): Lack[] {
	if (checked.length === 0) return [];
	return lacksOf(checked[0]).filter((lack) => lack.kind !== 'unknown' && checked.every((c) => lacksOf(c).some((l) => sameLack(l, lack))));
}

function nobodyCanRun(checked: Checked, everywhere: readonly Lack[]): string {
	if (checked.length === 0) return 'This pool has no rigs.';
	if (checked.every((c) => lacksOf(c).some((l) => l.kind === 'unknown'))) {
		return 'No rig of this pool has answered yet, so it is not known which one can run this workflow.';
	}
	if (everywhere.length > 0) return `No rig has ${describeLacks(everywhere)}.`;
	const parts = checked.filter((c) => !lacksOf(c).some((l) => l.kind === 'unknown')).map((c) => `${c.rig.name} lacks ${describeLacks(lacksOf(c))}`);
	return `No rig has everything this workflow needs: ${parts.join('; ')}.`;
}

function sameLack(a: Lack, b: Lack): boolean {
	if (a.kind === 'class' && b.kind === 'class') return a.classType === b.classType;
	if (a.kind === 'value' && b.kind === 'value') return a.nodeId === b.nodeId && a.input === b.input && a.value === b.value;
	return false;
}

const SHOWN = 3;

export function describeLacks(lacks: readonly Lack[]): string {
	const words = lacks.filter((l) => l.kind !== 'unknown').map(describeLack);
	const shown = words.slice(0, SHOWN).join(', ');
	return words.length > SHOWN ? `${shown} and ${words.length - SHOWN} more` : shown;
}

function describeLack(lack: Lack): string {
	switch (lack.kind) {
		case 'class':
			return `the node class ${lack.classType}`;
		case 'value':
			return lack.model ? `the model ${lack.value} (${lack.input})` : `the value “${lack.value}” for ${lack.classType}.${lack.input}`;
		case 'unknown':
			return 'its node definitions';
	}
}
