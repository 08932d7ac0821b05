// ComfyUI App Mode metadata (extra.linearData = {inputs: [[nodeId, widgetName, config?]], outputs: [nodeId]}):
// when a workflow carries it, its author already chose the form, so those fields come first in that order.
import type { FormModel, UiWorkflow } from './types';

interface AppModeInput {
	nodeId: string;
	input: string;
	description?: string;
}

export function appModeInputs(workflow: UiWorkflow | undefined): { inputs: AppModeInput[]; apply: (m: FormModel) => FormModel } | undefined {
	const data = workflow?.extra?.linearData;
	if (!data || typeof data !== 'object') return undefined;
	const raw = (data as { inputs?: unknown }).inputs;
	if (!Array.isArray(raw)) return undefined;
	const inputs: AppModeInput[] = [];
	for (const entry of raw) {
		if (!Array.isArray(entry) || entry.length < 2 || typeof entry[1] !== 'string') continue;
		const config = entry[2] && typeof entry[2] === 'object' ? (entry[2] as Record<string, unknown>) : {};
		inputs.push({
			nodeId: String(entry[0]),
			input: entry[1],
			...(typeof config.description === 'string' ? { description: config.description } : {})
		});
	}
	if (inputs.length === 0) return undefined;
	return { inputs, apply: (model) => applyAppMode(model, inputs) };
}

function applyAppMode(model: FormModel, inputs: AppModeInput[]): FormModel {
	const rank = new Map(inputs.map((i, n) => [`${i.nodeId}.${i.input}`, n]));
	const described = new Map(inputs.map((i) => [`${i.nodeId}.${i.input}`, i.description]));
	const fields = model.fields.map((f) => {
		const chosen = rank.has(f.id);
		const tooltip = described.get(f.id) ?? f.tooltip;
		return { ...f, advanced: !chosen, ...(tooltip !== undefined ? { tooltip } : {}) };
	});
	const chosen = fields.filter((f) => !f.advanced).sort((a, b) => (rank.get(a.id) ?? 0) - (rank.get(b.id) ?? 0));
	return { ...model, fields: [...chosen, ...fields.filter((f) => f.advanced)] };
}
