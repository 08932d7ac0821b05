// Form model: every editable input of a converted prompt as a typed field, with the workflow's own values as
// defaults, prompt roles, a sensible up-front selection and the rest under "advanced".
import type { ApiInputValue, ApiPrompt, InputSpec, NodeDef, ObjectInfo } from '../comfy/types';
import type { BuildFormOptions, Field, FieldKind, FormGroup, FormModel, UiNode, UiWorkflow } from './types';
import { groupNodeName } from './group-nodes';
import { fieldKind, modelFolder } from './field-kind';
import { findRoles } from './roles';
import { applyAppMode, readAppMode } from './app-mode';
import { placeNodes } from './form-groups';
import { flattenWorkflow } from './flatten';
import { asUiWorkflow, checkUiWorkflow } from './schema';
import { seedControlOf } from './seed-control';
import { MAX_SAFE_SEED } from './seeds';
import { comboOptions, orderedInputs, specOptions } from './input-spec';
import { isWidgetInput } from './v3-inputs';
import { type PlainMaker, isLink, v3Fields } from './form-v3';
import { familyOrder } from './form-active';

const FRONT_INPUTS = new Set(['width', 'height', 'batch_size', 'steps', 'cfg', 'length', 'strength_model']);
const FRONT_MODEL_INPUTS = new Set(['ckpt_name', 'unet_name']);

/** The form of a prompt; a prompt too malformed to read gives an empty form rather than an exception. */
export function buildForm(prompt: ApiPrompt, objectInfo: ObjectInfo, opts: BuildFormOptions = {}): FormModel {
	try {
		return formFromPrompt(prompt, objectInfo, opts.workflow);
	} catch {
		return { fields: [], groups: [] };
	}
}

/** buildForm without the guard, for tests that must see any exception. */
export function formFromPrompt(prompt: ApiPrompt, objectInfo: ObjectInfo, workflow: UiWorkflow | undefined): FormModel {
	const roles = findRoles(prompt, objectInfo);
	const places = placeNodes(prompt, objectInfo, workflow);
	const appMode = readAppMode(workflow, prompt);
	const graph = workflow && !checkUiWorkflow(workflow) ? flattenWorkflow(asUiWorkflow(workflow), objectInfo).graph : undefined;
	const uiNodes = new Map(graph && workflow ? workflow.nodes.map((n) => [String(n.id), n]) : []);
	const fields: Field[] = [];
	const renamedByUser = new Set<string>();
	for (const [nodeId, node] of Object.entries(prompt)) {
		const def = objectInfo[node.class_type];
		if (!def) continue;
		const place = places.get(nodeId);
		const make: PlainMaker = (id, input, spec, value, label, kind) => plainField(id, nodeId, input, spec, value, def, node.class_type, label, kind);
		for (const [input, spec] of orderedInputs(def)) {
			const made = v3Fields(nodeId, input, spec, node.inputs, make) ?? topLevelField(make, input, spec, node.inputs);
			for (const field of made) {
				field.nodeTitle = place?.title ?? node._meta?.title ?? def.display_name ?? node.class_type;
				field.group = place?.group ?? `node:${nodeId}`;
				field.advanced = true;
				if (field.parent || field.entry) {
					// Owned fields go wherever their dynamic combo or list goes (form-active.ts).
					fields.push(field);
					continue;
				}
				const renamed = uiNodes.get(nodeId)?.inputs?.find((i) => i?.widget?.name === input)?.label ?? groupNodeLabel(workflow, uiNodes, nodeId, input);
				if (typeof renamed === 'string' && renamed.trim() !== '') {
					field.label = renamed;
					renamedByUser.add(field.id);
				}
				const role = roles.get(field.id);
				if (role) field.role = role;
				if (field.kind === 'seed') field.seedControl = seedControlOf(graph, nodeId, input, def, spec);
				field.advanced = specOptions(spec).advanced === true || !upFront(field, node.class_type);
				fields.push(field);
			}
		}
	}
	labelRoles(fields.filter((f) => !renamedByUser.has(f.id)));
	fields.sort((a, b) => frontRank(a) - frontRank(b));
	const ordered = familyOrder(fields);
	const groups: FormGroup[] = [];
	const seenGroups = new Set<string>();
	for (const f of ordered) {
		if (seenGroups.has(f.group)) continue;
		seenGroups.add(f.group);
		groups.push({ id: f.group, title: places.groupTitle(f.group) ?? f.nodeTitle });
	}
	const dynamicPrompts = ordered.filter((f) => f.dynamicPrompts).map((f) => f.id);
	const model: FormModel = { fields: ordered, groups, ...(dynamicPrompts.length > 0 ? { dynamicPrompts } : {}) };
	return appMode ? applyAppMode(model, appMode) : model;
}

/** The name a legacy group node's config gives an inner widget (extra.groupNodes[Name].config[index].input). */
function groupNodeLabel(workflow: UiWorkflow | undefined, uiNodes: Map<string, UiNode>, nodeId: string, input: string): unknown {
	const [top, index, ...rest] = nodeId.split(':');
	const name = rest.length === 0 && index !== undefined ? groupNodeName(uiNodes.get(top)?.type ?? '') : undefined;
	const config = name !== undefined ? workflow?.extra?.groupNodes?.[name]?.config : undefined;
	const entry = config && typeof config === 'object' ? (config as Record<string, { input?: Record<string, { name?: unknown }> }>)[index] : undefined;
	return entry?.input?.[input]?.name;
}

/** Order of the up-front fields: prompts, then what is picked (images, models), then size and sampling. */
function frontRank(f: Field): number {
	if (f.advanced) return 100;
	if (f.role === 'positive') return 0;
	if (f.role === 'negative') return 1;
	const byKind: Partial<Record<FieldKind, number>> = { multiline: 2, image: 3, model: 4, lora: 5, seed: 9 };
	const byInput: Record<string, number> = { width: 6, height: 6, length: 6, batch_size: 7, steps: 8, cfg: 8, denoise: 8, strength_model: 5 };
	return byKind[f.kind] ?? byInput[f.input] ?? 10;
}

/** "Prompt" / "Negative prompt"; a node with several texts of one role (CLIPTextEncodeFlux…) names each input. */
function labelRoles(fields: Field[]): void {
	const count = new Map<string, number>();
	for (const f of fields) if (f.role) count.set(`${f.nodeId}/${f.role}`, (count.get(`${f.nodeId}/${f.role}`) ?? 0) + 1);
	for (const f of fields) {
		if (!f.role) continue;
		const base = f.role === 'positive' ? 'Prompt' : 'Negative prompt';
		f.label = (count.get(`${f.nodeId}/${f.role}`) ?? 0) > 1 ? `${base} (${humanize(f.input)})` : base;
	}
}

/** A top-level input: its field when it is a widget the prompt gives a value (not a link). */
function topLevelField(make: PlainMaker, input: string, spec: InputSpec, inputs: Record<string, ApiInputValue>): Field[] {
	if (!Object.hasOwn(inputs, input) || !isWidgetInput(input, spec)) return [];
	const field = make(undefined, input, spec, inputs[input]);
	return field ? [field] : [];
}

/**
 * The field of one widget input with this value. Values the form cannot edit (the curve editor's `curve`, a widget
 * type it does not know, a constant of an unexpected shape) give a read-only `raw` field, sent untouched.
 */
function plainField(id: string | undefined, nodeId: string, input: string, spec: InputSpec, value: unknown, def: NodeDef, classType: string, label?: string, forced?: FieldKind): Field | undefined {
	if (value === undefined || isLink(value)) return undefined;
	const o = specOptions(spec);
	let kind = forced ?? (o.multiselect === true && comboOptions(spec) ? 'multiselect' : fieldKind(classType, input, spec));
	let shown: unknown = value;
	if (kind === 'multiselect') shown = multiselectValue(value);
	if (kind === undefined || (shown !== null && typeof shown === 'object' && kind !== 'multiselect' && kind !== 'entries')) {
		if (!isWidgetInput(input, spec) && forced === undefined) return undefined;
		kind = 'raw';
	}
	const field = makeField(id ?? `${nodeId}.${input}`, nodeId, input, kind, spec, shown, def, classType);
	if (label !== undefined && typeof o.display_name !== 'string') field.label = humanize(label);
	return field;
}

/** A multiselect value as a list of options: the frontend sends it wrapped, `{__value__: [...]}`. */
function multiselectValue(value: unknown): unknown {
	if (value && typeof value === 'object' && !Array.isArray(value) && Array.isArray((value as { __value__?: unknown }).__value__)) {
		return (value as { __value__: unknown[] }).__value__;
	}
	return value;
}

function makeField(id: string, nodeId: string, input: string, kind: FieldKind, spec: InputSpec, value: unknown, def: NodeDef, classType: string): Field {
	const o = specOptions(spec);
	const field: Field = {
		id,
		nodeId,
		input,
		kind,
		label: typeof o.display_name === 'string' ? o.display_name : humanize(input),
		nodeTitle: def.display_name ?? classType,
		group: '',
		default: value,
		advanced: true
	};
	if (typeof o.tooltip === 'string') field.tooltip = o.tooltip;
	if (kind === 'int' || kind === 'float' || kind === 'seed') numberLimits(field, o, kind);
	if (kind === 'combo' || kind === 'model' || kind === 'lora' || kind === 'image' || kind === 'multiselect') {
		field.options = (comboOptions(spec) ?? []).map(String);
	}
	if (kind === 'model' || kind === 'lora') field.modelFolder = modelFolder(classType, input);
	if ((kind === 'text' || kind === 'multiline') && o.dynamicPrompts) field.dynamicPrompts = true;
	return field;
}

function numberLimits(field: Field, o: ReturnType<typeof specOptions>, kind: FieldKind): void {
	if (typeof o.min === 'number') field.min = Math.max(o.min, -MAX_SAFE_SEED);
	if (typeof o.max === 'number') field.max = Math.min(o.max, MAX_SAFE_SEED);
	if (kind === 'seed') {
		field.min = field.min ?? 0;
		field.max = field.max ?? MAX_SAFE_SEED;
		// A saved seed above 2^53-1 has already lost its exact value to JSON; the nearest usable one stands in.
		if (typeof field.default === 'number') field.default = Math.min(field.max, Math.max(field.min, field.default));
	}
	field.step = typeof o.step === 'number' ? o.step : kind === 'float' ? 0.01 : 1;
	if (kind === 'float' && typeof o.round === 'number') field.round = o.round;
	const range = field.min !== undefined && field.max !== undefined ? field.max - field.min : Infinity;
	field.slider = o.display === 'slider' || (kind === 'float' ? range <= 10 && range / field.step <= 1000 : kind === 'int' && range <= 64);
}

function upFront(field: Field, classType: string): boolean {
	if (field.role) return true;
	switch (field.kind) {
		case 'seed':
		case 'image':
		case 'lora':
			return true;
		case 'model':
			return FRONT_MODEL_INPUTS.has(field.input);
		case 'multiline':
			return field.dynamicPrompts === true;
		default:
			// A denoise below 1 marks an image-to-image pass, where it is the main knob.
			if (field.input === 'denoise') return typeof field.default === 'number' && field.default < 1;
			return FRONT_INPUTS.has(field.input) && !(field.input === 'strength_model' && !classType.startsWith('Lora'));
	}
}

const LABELS: Record<string, string> = {
	cfg: 'CFG',
	ckpt_name: 'Checkpoint',
	lora_name: 'LoRA',
	vae_name: 'VAE',
	unet_name: 'Diffusion model',
	control_net_name: 'ControlNet model'
};

/** "sampler_name" → "Sampler name", "ckpt_name" → "Checkpoint". */
export function humanize(name: string): string {
	if (LABELS[name]) return LABELS[name];
	const words = name.replace(/_/g, ' ').trim();
	return words.charAt(0).toUpperCase() + words.slice(1);
}
