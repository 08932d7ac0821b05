// Shared pieces of the field controls: their props, and DOM ids. Field ids are `node.input` (node ids may hold
// ':'), fine for ids but not for CSS selectors, so they are made plain once here.
import type { Field } from '$lib/workflow/types';
import type { UploadOutcome } from '$lib/app/run/run.service';

export function controlId(fieldId: string): string {
	return `field-${fieldId.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}

export function describedBy(id: string, errors: string[] | undefined, hint?: string): string | undefined {
	const ids = [errors && errors.length > 0 ? `${id}-error` : '', hint ? `${id}-hint` : ''].filter(Boolean);
	return ids.length > 0 ? ids.join(' ') : undefined;
}

/** A number input's text as a value: a number when it reads as one, else the text (validation then names it). */
export function parseNumber(text: string, integer: boolean): number | string {
	if (text.trim() === '') return text;
	const n = Number(text);
	if (!Number.isFinite(n)) return text;
	return integer ? Math.trunc(n) : n;
}

/** What every field control receives. */
export interface FieldProps {
	field: Field;
	value: unknown;
	errors?: string[];
	onchange: (value: unknown) => void;
}

/** How image fields reach the server: upload a picture, or fetch the one a field names (null offline). */
export interface ImageSources {
	upload: (blob: Blob, name: string) => Promise<UploadOutcome>;
	source: (value: string) => Promise<Blob | null>;
}
