// The Run form of one workflow: its prompt and form model, the values being edited, field and general errors,
// and the user's curation. Pure logic comes from the workflow engine; saving goes through form.service.
import { applyCuration, applyForm, mapNodeErrors, validateValues } from '../../workflow';
import { activeIds } from '../../workflow/form-active';
import type { ApiPrompt, Curation, Field, FormModel, ObjectInfo, SeedControl, UiWorkflow } from '../../workflow/types';
import type { ComfyError } from '../../comfy/errors';
import type { WorkflowRecord } from '../../storage';
import { planBatch } from './batch';
import { initialValues, prepareRun } from './prepare';
import { saveCuration, saveLastValues } from './form.service';

export interface PlannedRun {
	prompt: ApiPrompt;
	values: Record<string, unknown>;
}

const SAVE_DELAY_MS = 400;
/** Stored among the last values: the seed controls the user picked (the workflow's own are the default). */
const SEED_MODES_KEY = '@seedModes';
/** Stored among the last values: which flagged fields (node changed since the save) the user confirmed, and how. */
const REVIEWED_KEY = '@reviewed';

export class RunForm {
	readonly workflowId: string;
	name = $state('');
	prompt = $state.raw<ApiPrompt | null>(null);
	workflow = $state.raw<UiWorkflow | undefined>(undefined);
	base = $state.raw<FormModel | null>(null);
	curation = $state.raw<Curation>({});
	seedModes = $state<Record<string, SeedControl>>({});
	/** The form as run: the workflow's fields with the user's seed controls. */
	runModel = $derived(this.base ? withSeedModes(this.base, this.seedModes) : null);
	/** The form as shown: curated. */
	model = $derived(this.runModel ? applyCuration(this.runModel, this.curation) : null);
	values = $state<Record<string, unknown>>({});
	/** Ids of the fields in effect for the values (a dynamic combo's chosen option, the entries of a list). */
	active = $derived(this.runModel ? activeIds(this.runModel, this.values) : new Set<string>());
	fieldErrors = $state.raw<Record<string, string[]>>({});
	generalErrors = $state.raw<string[]>([]);
	warnings = $state.raw<string[]>([]);
	loadError = $state<string | null>(null);
	/** Fields of nodes that changed since the save, waiting for the user's confirmation before anything is sent. */
	review = $state.raw<Field[] | null>(null);
	#reviewed = '';
	saveError = $state<string | null>(null);
	#saveTimer: ReturnType<typeof setTimeout> | null = null;

	constructor(record: WorkflowRecord) {
		this.workflowId = record.id;
		this.name = record.name;
		this.curation = (record.curation as Curation | undefined) ?? {};
		const reviewed = record.lastValues?.[REVIEWED_KEY];
		if (typeof reviewed === 'string') this.#reviewed = reviewed;
		const modes = record.lastValues?.[SEED_MODES_KEY];
		if (modes && typeof modes === 'object') this.seedModes = { ...(modes as Record<string, SeedControl>) };
	}

	/** (Re)builds the form; values already typed in this session win over stored ones. */
	load(record: WorkflowRecord, objectInfo: ObjectInfo | null): void {
		const prepared = prepareRun(record.source, objectInfo);
		if (!prepared.ok) {
			this.loadError = prepared.error;
			return;
		}
		const typed = this.base ? $state.snapshot(this.values) : undefined;
		this.loadError = null;
		this.prompt = prepared.prompt;
		this.workflow = prepared.workflow;
		this.base = prepared.model;
		this.warnings = prepared.warnings;
		this.values = initialValues(prepared.model, typed ?? record.lastValues);
	}

	field(id: string): Field | undefined {
		return this.base?.fields.find((f) => f.id === id);
	}

	setValue(id: string, value: unknown): void {
		this.values[id] = value;
		if (this.fieldErrors[id]) {
			const { [id]: _cleared, ...rest } = this.fieldErrors;
			this.fieldErrors = rest;
		}
		this.#scheduleSave();
	}

	setSeedMode(id: string, mode: SeedControl): void {
		this.seedModes[id] = mode;
		this.#scheduleSave();
	}

	/** "Reuse these settings": the values of a past result, for the fields this form still has. */
	reuse(values: Record<string, unknown>): void {
		for (const id of Object.keys(this.values)) if (id in values) this.values[id] = values[id];
		this.fieldErrors = {};
		this.generalErrors = [];
		this.#scheduleSave();
	}

	/**
	 * Validates, then turns the form into `count` prompts with seeds moved on per seed control; the form then
	 * shows the seeds the next Generate will use. Null (with inline errors) when a value is not acceptable.
	 */
	plan(count: number, random: () => number = Math.random): PlannedRun[] | null {
		const model = this.runModel;
		const prompt = this.prompt;
		if (!model || !prompt) return null;
		const current = $state.snapshot(this.values);
		const invalid = validateValues(model, current);
		this.generalErrors = [];
		this.fieldErrors = Object.fromEntries(Object.entries(invalid).map(([id, message]) => [id, [message]]));
		if (Object.keys(invalid).length > 0) {
			this.generalErrors = hiddenFieldErrors(this.model, invalid, model);
			return null;
		}
		// A node that changed since the save is never sent silently: its flagged values are confirmed first, once
		// for these values (a change to one of them asks again).
		const flagged = model.fields.filter((f) => f.changed !== undefined && this.active.has(f.id));
		if (flagged.length > 0 && reviewKey(flagged, current) !== this.#reviewed) {
			this.review = flagged;
			return null;
		}
		this.review = null;
		const batch = planBatch(model, current, count, random);
		const runs = batch.runs.map((values) => {
			const applied = applyForm(prompt, model, values, { random });
			return { prompt: applied.prompt, values: { ...values, ...applied.resolved } };
		});
		this.values = batch.after;
		this.#scheduleSave();
		return runs;
	}

	/** The server refused a prompt: its node errors go onto the fields they concern, the rest to the banner. */
	showRejection(error: ComfyError): void {
		const model = this.base;
		const mapped = model && error.nodeErrors ? mapNodeErrors(error.nodeErrors, model, $state.snapshot(this.values)) : { byField: {}, general: [] };
		this.fieldErrors = mapped.byField;
		const general = [...mapped.general];
		if (general.length === 0 && Object.keys(mapped.byField).length === 0) general.push(error.message);
		if (model) general.push(...hiddenFieldErrors(this.model, flatten(mapped.byField), model));
		this.generalErrors = general;
	}

	/** The user checked the flagged values: the next Generate sends them. */
	confirmReview(): void {
		if (!this.review) return;
		this.#reviewed = reviewKey(this.review, $state.snapshot(this.values));
		this.review = null;
		this.#scheduleSave();
	}

	cancelReview(): void {
		this.review = null;
	}

	showError(message: string): void {
		this.generalErrors = [message];
	}

	clearErrors(): void {
		this.fieldErrors = {};
		this.generalErrors = [];
	}

	async setCuration(curation: Curation): Promise<void> {
		this.curation = curation;
		const saved = await saveCuration(this.workflowId, curation);
		this.saveError = saved.ok ? null : saved.error;
	}

	/** Writes pending last-used values now (leaving the screen). */
	async flush(): Promise<void> {
		if (this.#saveTimer === null) return;
		clearTimeout(this.#saveTimer);
		this.#saveTimer = null;
		await this.#saveValues();
	}

	#scheduleSave(): void {
		if (this.#saveTimer !== null) clearTimeout(this.#saveTimer);
		this.#saveTimer = setTimeout(() => {
			this.#saveTimer = null;
			void this.#saveValues();
		}, SAVE_DELAY_MS);
	}

	async #saveValues(): Promise<void> {
		const values = { ...$state.snapshot(this.values), [SEED_MODES_KEY]: $state.snapshot(this.seedModes), [REVIEWED_KEY]: this.#reviewed };
		const saved = await saveLastValues(this.workflowId, values);
		this.saveError = saved.ok ? null : saved.error;
	}
}

function reviewKey(fields: Field[], values: Record<string, unknown>): string {
	return JSON.stringify(fields.map((f) => [f.id, f.id in values ? values[f.id] : f.default]));
}

function withSeedModes(model: FormModel, modes: Record<string, SeedControl>): FormModel {
	if (Object.keys(modes).length === 0) return model;
	return { ...model, fields: model.fields.map((f) => (f.kind === 'seed' && modes[f.id] ? { ...f, seedControl: modes[f.id] } : f)) };
}

function flatten(byField: Record<string, string[]>): Record<string, string> {
	return Object.fromEntries(Object.entries(byField).map(([id, list]) => [id, list.join(' ')]));
}

/** Errors on fields the user has hidden would be invisible inline; they go to the banner, named. */
function hiddenFieldErrors(shown: FormModel | null, errors: Record<string, string>, base: FormModel): string[] {
	const visible = new Set(shown?.fields.map((f) => f.id) ?? []);
	return Object.entries(errors)
		.filter(([id]) => !visible.has(id))
		.map(([id, message]) => {
			const field = base.fields.find((f) => f.id === id);
			return field ? `${field.nodeTitle} › ${field.label}: ${message}` : message;
		});
}
