// Import failures in the user's language: the workflow engine gives a reason code with its English text, the app
// words it; a workflow wrong inside keeps the engine's words (they name the node).
import { afterEach, describe, expect, it } from 'vitest';
import { loadLocale } from '$lib/i18n';
import { importFailureText } from '../../../src/lib/app/import-text';
import { importWorkflowFile } from '../../../src/lib/workflow/import';
import type { ImportResult } from '../../../src/lib/workflow/types';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
/** A PNG with an IHDR chunk and no text chunks: what an editor or a messenger leaves of a ComfyUI picture. */
function pngWithoutMetadata(): Uint8Array {
	const ihdr = [0, 0, 0, 13, ...[0x49, 0x48, 0x44, 0x52], 0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0, 0x90, 0x77, 0x53, 0xde];
	const iend = [0, 0, 0, 0, ...[0x49, 0x45, 0x4e, 0x44], 0xae, 0x42, 0x60, 0x82];
	return new Uint8Array([...PNG_SIGNATURE, ...ihdr, ...iend]);
}

const encode = (text: string) => new TextEncoder().encode(text);

async function failure(bytes: Uint8Array, name: string): Promise<Extract<ImportResult, { ok: false }>> {
	const result = await importWorkflowFile(bytes, name);
	if (result.ok) throw new Error(`${name} imported`);
	return result;
}

describe('import failures', () => {
	afterEach(() => loadLocale('en'));

	it('carry a reason for the common cases, worded in English as the engine words them', async () => {
		await loadLocale('en');
		const cases: [Uint8Array, string, string][] = [
			[new Uint8Array(), 'empty.json', 'empty'],
			[encode('just some notes'), 'notes.txt', 'not-a-workflow-file'],
			[encode('{"nodes": [1,'), 'cut.json', 'invalid-json'],
			[encode('{"hello": "world"}'), 'other.json', 'json-not-a-workflow'],
			[pngWithoutMetadata(), 'photo.png', 'no-embedded-workflow']
		];
		for (const [bytes, name, code] of cases) {
			const result = await failure(bytes, name);
			expect(result.reason?.code, name).toBe(code);
			const text = importFailureText(result);
			expect(text.length, name).toBeGreaterThan(10);
			if (code !== 'not-a-workflow-file' && code !== 'no-embedded-workflow') expect(text, name).toBe(result.error);
		}
		expect(importFailureText(await failure(pngWithoutMetadata(), 'photo.png'))).toBe(
			'This PNG file has no ComfyUI workflow in it (it was not saved by ComfyUI, or its metadata was removed).'
		);
	});

	it('are said in German when German is the language, with the parser’s own detail kept', async () => {
		await loadLocale('de');
		expect(importFailureText(await failure(pngWithoutMetadata(), 'photo.png'))).toMatch(/^Diese PNG-Datei enthält keinen ComfyUI-Workflow/);
		expect(importFailureText(await failure(new Uint8Array(), 'empty.json'))).toBe('Die Datei ist leer.');
		const cut = await failure(encode('{"nodes": [1,'), 'cut.json');
		expect(cut.reason?.code === 'invalid-json' && importFailureText(cut)).toBe(`Die Datei ist kein gültiges JSON: ${cut.reason?.code === 'invalid-json' ? cut.reason.detail : ''}`);
	});

	it('keep the engine’s words for a workflow wrong inside (they say where)', async () => {
		await loadLocale('de');
		const broken = await failure(encode(JSON.stringify({ '1': { class_type: 'KSampler', inputs: 'not an object' } })), 'api.json');
		expect(broken.reason).toBeUndefined();
		expect(importFailureText(broken)).toBe(broken.error);
	});
});
