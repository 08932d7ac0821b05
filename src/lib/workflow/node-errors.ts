// Server node_errors (400 from POST /prompt) mapped back to the form fields they concern; the rest, by node title.
import type { NodeErrors } from '../comfy/types';
import type { FormModel, MappedNodeErrors } from './types';
import { activeFieldFor } from './form-active';

/** `values`: the form's values, to find which option's field a dotted input (`resize_type.width`) is. */
export function mapNodeErrors(nodeErrors: NodeErrors, model: FormModel, values: Record<string, unknown> = {}): MappedNodeErrors {
	const byField: Record<string, string[]> = {};
	const general: string[] = [];
	if (!nodeErrors || typeof nodeErrors !== 'object') return { byField, general };
	const fields = new Map(model.fields.map((f) => [f.id, f]));
	for (const [nodeId, entry] of Object.entries(nodeErrors)) {
		const errors = Array.isArray(entry?.errors) ? entry.errors : [];
		const nodeTitle = model.fields.find((f) => f.nodeId === nodeId)?.nodeTitle ?? entry?.class_type ?? `node ${nodeId}`;
		for (const e of errors) {
			const text = [e?.message, e?.details].filter((s) => typeof s === 'string' && s !== '').join(': ') || 'Rejected by the server.';
			const input = e?.extra_info?.input_name;
			const field = typeof input === 'string' ? (fields.get(`${nodeId}.${input}`) ?? activeFieldFor(model, values, nodeId, input)) : undefined;
			if (field) (byField[field.id] ??= []).push(text);
			else general.push(`${nodeTitle}: ${text}`);
		}
	}
	return { byField, general };
}
