// The 2026 corpus (tests/fixtures/modern, from ../shared/corpus/modern): every workflow converts to the prompt the
// 2026 frontend would POST, against the /object_info of a real May 2026 server.
//
// What each expectation rests on:
// - VERIFIED against a source: dotted keys and the combo key (ComfyUI _io.py get_finalized_class_inputs reads
//   `resize_type` and `resize_type.*` from the flat prompt; captures-2026 S6/S6b: a real 0.33.0 runs that shape and
//   fails without the key); children right after the combo, required then optional (frontend dynamicWidgets.ts);
//   autogrow names (dynamicWidgets.ts autogrowOrdinalToName); subgraph inputs bound by name and promoted values
//   (litegraph SubgraphNode.ts); path ids `a:b:c` (ExecutableNodeDTO); real prompts in api-examples/ that use the
//   same keys (ltx23-subgraph-excerpt, textgenerate-sampling-mode).
// - READ FROM THE SAVE ITSELF (independent of the converter): each unconnected widget's value, from the node's
//   `inputs` list (widget order) and widgets_values (savedWidgetValues in ./modern.ts).
// - DERIVED, not captured from a live frontend: the full expected prompts in tests/fixtures/modern/expected/. They
//   were produced by this converter once, checked by hand against the two points above and
//   api-examples/expected-from-blueprints.json, and are kept so any change to a converted prompt is seen.
import { describe, expect, it } from 'vitest';
import type { ApiPrompt } from '../../../src/lib/comfy/types';
import { convertToApi } from '../../../src/lib/workflow/convert';
import { inputSlots } from '../../../src/lib/workflow/v3-inputs';
import { expectedPrompt, modernJson, modernNames, modernWorkflow, objectInfo033, objectInfo2026, savedNodes, savedWidgetValues } from './modern';

const VIRTUAL = new Set(['Note', 'MarkdownNote', 'Reroute', 'PrimitiveNode']);

function converted(name: string): ApiPrompt {
	const r = convertToApi(modernWorkflow(name), objectInfo2026);
	if (!r.ok) throw new Error(r.error);
	return r.prompt;
}

const withoutMeta = (p: ApiPrompt): ApiPrompt => Object.fromEntries(Object.entries(p).map(([id, n]) => [id, { class_type: n.class_type, inputs: n.inputs }]));

describe('2026 corpus: UI workflow → API prompt', () => {
	it('has the 15 workflows of corpus/modern', () => {
		expect(modernNames).toHaveLength(15);
	});

	it.each(modernNames)('%s converts to the expected prompt', (name) => {
		expect(withoutMeta(converted(name))).toEqual(expectedPrompt(name));
	});

	it.each(modernNames)('%s: every node that runs is sent, under its path id, with the values its save gives its widgets', (name) => {
		const w = modernWorkflow(name);
		const prompt = converted(name);
		const running = savedNodes(w).filter(({ node }) => !VIRTUAL.has(node.type) && (node.mode ?? 0) === 0);
		expect(Object.keys(prompt).sort()).toEqual(running.map((n) => n.id).sort());
		for (const { id, node } of running) {
			for (const [input, value] of savedWidgetValues(node)) {
				if (value === null) continue;
				expect(prompt[id].inputs[input], `${id} ${node.type}.${input}`).toEqual(Array.isArray(value) ? { __value__: value } : value);
			}
		}
	});

	it.each(modernNames)('%s: every dynamic combo sends its key and the sub-inputs of the chosen option', (name) => {
		for (const [id, node] of Object.entries(converted(name))) {
			const def = objectInfo2026[node.class_type];
			const slots = inputSlots(def, { value: (n) => node.inputs[n] });
			for (const slot of slots.filter((s) => s.kind === 'dynamic-combo')) {
				expect(node.inputs, `${id} ${node.class_type}`).toHaveProperty([slot.name]);
				const children = slots.filter((s) => s.parent?.kind === 'dynamic-combo' && s.parent.name === slot.name && s.widget);
				for (const child of children) expect(node.inputs, `${id} ${child.name}`).toHaveProperty([child.name]);
			}
		}
	});
});

describe('2026 corpus: the derived API inputs of api-examples/expected-from-blueprints.json', () => {
	const facts = modernJson<Record<string, Record<string, unknown>>>('api-examples/expected-from-blueprints.json');

	it('ResizeImageMaskNode in bp-video-stitch: unlinked, it sends exactly the listed inputs', () => {
		const w = modernWorkflow('bp-video-stitch');
		const node = savedNodes(w).find((n) => n.node.type === 'ResizeImageMaskNode')!.node;
		const alone = { version: 0.4, nodes: [{ ...node, inputs: [], widgets_values: facts['bp-video-stitch.json / ResizeImageMaskNode (inner node)'].ui_widgets_values as unknown[] }], links: [] };
		const r = convertToApi(alone, objectInfo2026);
		if (!r.ok) throw new Error(r.error);
		expect(r.prompt[String(node.id)].inputs).toEqual(facts['bp-video-stitch.json / ResizeImageMaskNode (inner node)'].api_inputs_if_unlinked);
	});

	it('TextGenerate in bp-t2i-ernie-turbo: the saved values in the listed widget order', () => {
		const fact = facts['TextGenerate sampling_mode=on (bp-t2i-ernie-turbo.json)'];
		const inputs = converted('bp-t2i-ernie-turbo')['88:95'].inputs;
		const order = fact.ui_widget_order as string[];
		const values = fact.ui_widgets_values as unknown[];
		order.forEach((name, i) => {
			if (name !== 'prompt') expect(inputs[name], name).toEqual(values[i]);
		});
	});

	it('BatchImagesNode, GLSLShader, ComfyMathExpression and ComfySwitchNode send the listed keys', () => {
		const batch = converted('bp-crop-2x2')['135:137'].inputs;
		expect(Object.keys(batch).sort()).toEqual(Object.keys((facts['BatchImagesNode (bp-crop-2x2.json)'].api_inputs as object) ?? {}).sort());
		const glsl = converted('bp-glsl-brightness-contrast')['140:143'].inputs;
		expect(glsl).toMatchObject({ size_mode: 'from_input', 'floats.u_float0': ['140:4', 0], 'floats.u_float1': ['140:5', 0] });
		expect(Object.keys(glsl).sort()).toEqual(['floats.u_float0', 'floats.u_float1', 'fragment_shader', 'size_mode']);
		const math = converted('bp-audio-stable-audio3')['52:41'].inputs;
		expect(math).toEqual({ expression: 'a', 'values.a': ['52:36', 0] });
		const sw = converted('bp-t2i-ernie-turbo')['88:97'].inputs;
		expect(Object.keys(sw).sort()).toEqual(['on_false', 'on_true', 'switch']);
	});
});

describe('2026 corpus: real API prompts of api-examples/ use the keys the converter writes', () => {
	it('ltx23 excerpt: ResizeImageMaskNode and ComfyMathExpression key sets', () => {
		const { prompt } = modernJson<{ prompt: ApiPrompt }>('api-examples/ltx23-subgraph-excerpt.json');
		for (const id of ['267:238', '267:277']) {
			const node = prompt[id];
			const slots = inputSlots(objectInfo2026[node.class_type], { value: (n) => node.inputs[n], saved: new Map(Object.keys(node.inputs).map((k) => [k, false])) });
			expect(slots.map((s) => s.name).sort(), id).toEqual(Object.keys(node.inputs).sort());
		}
	});

	it('TextGenerateLTX2Prompt: the service sends the required sampling_mode children the converter lays out', () => {
		const { prompt } = modernJson<{ prompt: ApiPrompt }>('api-examples/textgenerate-sampling-mode.json');
		const node = prompt['274'];
		const slots = inputSlots(objectInfo2026.TextGenerateLTX2Prompt, { value: (n) => node.inputs[n] });
		const required = slots.filter((s) => s.parent?.kind === 'dynamic-combo' && !s.optional).map((s) => s.name);
		expect(required.length).toBeGreaterThan(0);
		for (const name of required) expect(node.inputs).toHaveProperty([name]);
	});
});

describe('2026 corpus against the real ComfyUI 0.33.0 /object_info (captures-2026, 889 classes)', () => {
	it.each(modernNames)('%s converts; it differs from the May 2026 prompt only by inputs 0.33.0 added, each reported as defaulted', (name) => {
		const r = convertToApi(modernWorkflow(name), objectInfo033);
		if (!r.ok) throw new Error(r.error);
		const defaulted = new Map(r.issues.filter((i) => i.kind === 'defaulted').map((i) => [i.nodeId, new Set(i.inputNames)]));
		expect(r.issues.filter((i) => i.kind === 'schema-changed' || i.kind === 'realigned')).toEqual([]);
		for (const [id, node] of Object.entries(expectedPrompt(name))) {
			const got = { ...r.prompt[id].inputs };
			for (const added of defaulted.get(id) ?? []) if (!(added in node.inputs)) delete got[added];
			expect(got, id).toEqual(node.inputs);
		}
	});
});
