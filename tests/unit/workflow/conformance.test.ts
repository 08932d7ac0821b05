// Every corpus pair: converting NAME.workflow.json with the real server's /object_info gives NAME.prompt.json,
// under the three allowances of tests/fixtures/corpus/README.md.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ApiPrompt, ObjectInfo } from '../../../src/lib/comfy/types';
import { convertToApi } from '../../../src/lib/workflow/convert';
import { importWorkflowFile } from '../../../src/lib/workflow/import';
import { widgetSlots } from '../../../src/lib/workflow/widgets';
import type { UiWorkflow } from '../../../src/lib/workflow/types';

const corpus = path.resolve(__dirname, '../../fixtures/corpus');
const objectInfo = JSON.parse(readFileSync(path.join(corpus, 'object_info.json'), 'utf8')) as ObjectInfo;
const names = readdirSync(path.join(corpus, 'workflows'))
	.filter((f) => f.endsWith('.workflow.json'))
	.map((f) => f.slice(0, -'.workflow.json'.length))
	.sort();

function load<T>(file: string): T {
	return JSON.parse(readFileSync(path.join(corpus, 'workflows', file), 'utf8')) as T;
}

/** Expected prompt under the allowances: no _meta/is_changed, no legacy upload inputs. */
function expectedOf(prompt: ApiPrompt): ApiPrompt {
	const out: ApiPrompt = {};
	for (const [id, node] of Object.entries(prompt)) {
		const inputs = { ...node.inputs };
		delete inputs.upload;
		delete inputs['choose file to upload'];
		out[id] = { class_type: node.class_type, inputs };
	}
	return out;
}

/**
 * Our prompt without _meta. An input the old prompt lacks is dropped only when it holds today's default and its
 * widget lies beyond the node's saved widgets_values (group-node inner nodes: beyond the inner node's own list).
 */
function actualOf(prompt: ApiPrompt, expected: ApiPrompt, workflow: UiWorkflow): ApiPrompt {
	const saved = new Map(workflow.nodes.map((n) => [String(n.id), n]));
	const out: ApiPrompt = {};
	for (const [id, node] of Object.entries(prompt)) {
		const inputs = { ...node.inputs };
		const want = expected[id]?.inputs ?? {};
		const def = objectInfo[node.class_type];
		const slots = def ? widgetSlots(def) : [];
		for (const name of Object.keys(inputs)) {
			if (name in want) continue;
			const slot = slots.find((s) => s.name === name && s.role === 'value');
			const fallback = slot?.spec[1]?.default ?? (Array.isArray(slot?.spec[0]) ? slot.spec[0][0] : undefined);
			const stored = saved.get(id)?.widgets_values;
			const beyond = !Array.isArray(stored) || slots.indexOf(slot as (typeof slots)[number]) >= stored.length;
			if (slot && beyond && inputs[name] === fallback) delete inputs[name];
		}
		out[id] = { class_type: node.class_type, inputs };
	}
	return out;
}

describe('corpus conformance: UI workflow → API prompt', () => {
	it('has the 30 pairs of the corpus', () => {
		expect(names).toHaveLength(30);
	});

	it.each(['lora_multiple.png', 'mochi_simple_checkpoint.webp'])('the workflow embedded in %s converts to the prompt embedded beside it', async (file) => {
		const imported = await importWorkflowFile(new Uint8Array(readFileSync(path.join(corpus, 'media', file))), file);
		if (!imported.ok || !imported.workflow || !imported.prompt) throw new Error('expected a workflow and a prompt');
		const expected = expectedOf(imported.prompt);
		const result = convertToApi(imported.workflow, objectInfo);
		if (!result.ok) throw new Error(result.error);
		expect(result.issues).toEqual([]);
		expect(actualOf(result.prompt, expected, imported.workflow)).toEqual(expected);
	});

	it.each(names)('%s converts to exactly the prompt the official frontend produced', (name) => {
		const workflow = load<UiWorkflow>(`${name}.workflow.json`);
		const expected = expectedOf(load<ApiPrompt>(`${name}.prompt.json`));
		const result = convertToApi(workflow, objectInfo);
		if (!result.ok) throw new Error(result.error);
		expect(actualOf(result.prompt, expected, workflow)).toEqual(expected);
	});
});
