// The preview draws in the frame the final image will take: its aspect ratio comes from the form's size fields.
import type { FormModel } from '../../workflow/types';

const WIDTH_NAMES = ['width', 'empty_latent_width'];
const HEIGHT_NAMES = ['height', 'empty_latent_height'];

function positive(value: unknown): number | null {
	const n = typeof value === 'number' ? value : Number(value);
	return Number.isFinite(n) && n > 0 ? n : null;
}

/**
 * `"W / H"` for CSS aspect-ratio from the first node that has both a width and a height field, else null
 * (the preview box then takes a square until the first frame tells its real shape).
 */
export function previewAspect(model: FormModel, values: Record<string, unknown>): string | null {
	const byNode = new Map<string, { w?: number | null; h?: number | null }>();
	for (const field of model.fields) {
		const isWidth = WIDTH_NAMES.includes(field.input);
		const isHeight = HEIGHT_NAMES.includes(field.input);
		if (!isWidth && !isHeight) continue;
		const entry = byNode.get(field.nodeId) ?? {};
		const value = positive(values[field.id] ?? field.default);
		if (isWidth) entry.w = value;
		else entry.h = value;
		byNode.set(field.nodeId, entry);
		if (entry.w && entry.h) return `${entry.w} / ${entry.h}`;
	}
	return null;
}
