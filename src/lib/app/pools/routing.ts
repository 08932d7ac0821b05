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

/** Why no rig can take a prompt, as data (the app words it in the user's language; `reasonText` in English). */
export type NoRig =
	| { kind: 'away'; rigs: { name: string; down: boolean }[] }
	| { kind: 'no-rigs' }
	| { kind: 'no-answer' }
	| { kind: 'nobody-has'; lacks: Lack[] }
	| { kind: 'none-has-all'; rigs: { name: string; lacks: Lack[] }[] };

/**
 * A failure says why (`why`, and `reason`: the same in English words); `away` when rigs that could run it are
 * paused or down (the run may wait for them), `missing` what no rig has (to show on the form's fields).
 */
export type Choice = { ok: true; rigId: string } | { ok: false; reason: string; why: NoRig; away: boolean; missing: Lack[] };

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
		if (able.length > 0) return refusal({ kind: 'away', rigs: able.map((r) => ({ name: r.name, down: r.down })) }, []);
		const missing = missingEverywhere(checked);
		return refusal(nobodyCanRun(checked, missing), missing);
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

function refusal(why: NoRig, missing: Lack[]): Extract<Choice, { ok: false }> {
	return { ok: false, reason: reasonText(why), why, away: why.kind === 'away', missing };
}

/** In words: what is missing, for the user to fix (install the node, copy the model) or to pick another server. */
type Checked = readonly { rig: RigView; fit: Eligibility }[];

const lacksOf = (c: { fit: Eligibility }): Lack[] => (c.fit.ok ? [] : c.fit.lacks);

/** What no rig has at all (the clearest thing to tell). */
function missingEverywhere(checked: Checked): Lack[] {
	if (checked.length === 0) return [];
	return lacksOf(checked[0]).filter((lack) => lack.kind !== 'unknown' && checked.every((c) => lacksOf(c).some((l) => sameLack(l, lack))));
}

function nobodyCanRun(checked: Checked, everywhere: readonly Lack[]): NoRig {
	if (checked.length === 0) return { kind: 'no-rigs' };
	if (checked.every((c) => lacksOf(c).some((l) => l.kind === 'unknown'))) return { kind: 'no-answer' };
	if (everywhere.length > 0) return { kind: 'nobody-has', lacks: [...everywhere] };
	const rigs = checked.filter((c) => !lacksOf(c).some((l) => l.kind === 'unknown')).map((c) => ({ name: c.rig.name, lacks: lacksOf(c) }));
	return { kind: 'none-has-all', rigs };
}

/** The words a pool's refusal is worded with: English here; the app passes its own (app/pools/pool-text.ts). */
export interface RoutingWords {
	reason(why: NoRig): string;
	/** On the field: no rig has this model file or combo value. */
	lackOnField(lack: Extract<Lack, { kind: 'value' }>): string;
}

/** English, for code without the app's messages (tests, benchmarks) and as `Choice.reason`. */
export function reasonText(why: NoRig): string {
	switch (why.kind) {
		case 'away':
			return `Every rig that can run this workflow is paused or down: ${why.rigs.map((r) => `${r.name} (${r.down ? 'down' : 'paused'})`).join(', ')}.`;
		case 'no-rigs':
			return 'This pool has no rigs.';
		case 'no-answer':
			return 'No rig of this pool has answered yet, so it is not known which one can run this workflow.';
		case 'nobody-has':
			return `No rig has ${describeLacks(why.lacks)}.`;
		case 'none-has-all':
			return `No rig has everything this workflow needs: ${why.rigs.map((r) => `${r.name} lacks ${describeLacks(r.lacks)}`).join('; ')}.`;
	}
}

export const ENGLISH_ROUTING_WORDS: RoutingWords = {
	reason: reasonText,
	lackOnField: (lack) => (lack.model ? `No rig of this pool has ${lack.value}` : `No rig of this pool accepts “${lack.value}”`)
};

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
