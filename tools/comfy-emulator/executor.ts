// Runs one queued prompt and emits exactly what ComfyUI 0.3.64 emits, in the same order and to the same
// recipients (comfyui-protocol.md §2.2, §2.3; the captures S1–S12 are the reference):
//   execution_start → execution_cached → per node [progress_state(running) → executing → steps
//   (progress_state → [type-4 preview] → progress → [type-1 preview]) → executed → progress_state(finished)]
//   → execution_success | execution_error | execution_interrupted.
import type { ApiPrompt, HistoryEntry, HistoryMessage, NodeOutput, QueueItem } from '../../src/lib/comfy/types';
import { encodePreviewFrame, encodeTextFrame } from '../../src/lib/comfy/frames';
import type { Catalog } from './catalog';
import type { FileStore } from './files';
import { executionOrder, isLink, signatures } from './graph';
import { NodeFailure, runNode, type NodeContext } from './nodes';
import type { OutputCache } from './output-cache';
import { imageSize } from './image-size';
import { makePreview, type Preview } from './previews';
import { ProgressState } from './progress-state';
import { saveAudio, saveImages } from './save-results';
import { describe, type Value } from './values';
import { missingComboArgument } from './v3-inputs';
import type { WsHub } from './ws-hub';

export interface ExecutorOptions {
	stepMs: number;
	previewFormat: 'jpeg' | 'png';
	failNodes: string[];
	dropSocketAfterSteps?: number;
	/** 2026 profile: a dynamic combo without a known key fails at run time (missingComboArgument). */
	modern?: boolean;
}

class Interrupted extends Error {}

type Finished = Pick<HistoryEntry, 'outputs' | 'status' | 'meta'>;

function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => (ms > 0 ? setTimeout(resolve, ms) : setImmediate(resolve)));
}

function metaOf(id: string) {
	return { node_id: id, display_node: id, parent_node: null, real_node_id: id };
}

export class Executor {
	#interrupted = false;

	constructor(
		private readonly hub: WsHub,
		private readonly catalog: Catalog,
		private readonly files: FileStore,
		private readonly cache: OutputCache,
		private readonly options: ExecutorOptions
	) {}

	/** nodes.interrupt_processing(): a global flag, checked at node starts and sampler steps. */
	interrupt(): void {
		this.#interrupted = true;
	}

	async execute(item: QueueItem): Promise<Finished> {
		const [, promptId, prompt, extraData, outputs] = item;
		const clientId = typeof extraData.client_id === 'string' ? extraData.client_id : null;
		const deps: RunDeps = {
			hub: this.hub,
			catalog: this.catalog,
			files: this.files,
			cache: this.cache,
			options: this.options,
			checkInterrupt: () => {
				if (this.#interrupted) throw new Interrupted();
			}
		};
		const run = new PromptRun(deps, promptId, prompt, clientId, extraData.extra_pnginfo);
		this.#interrupted = false;
		this.hub.currentClient = clientId;
		this.hub.lastNodeId = null;
		try {
			return await run.execute(outputs);
		} finally {
			this.hub.lastNodeId = null;
		}
	}
}

interface RunDeps {
	hub: WsHub;
	catalog: Catalog;
	files: FileStore;
	cache: OutputCache;
	options: ExecutorOptions;
	checkInterrupt(): void;
}

class PromptRun {
	readonly #messages: HistoryMessage[] = [];
	readonly #uiOutputs: Record<string, NodeOutput> = {};
	readonly #meta: NonNullable<HistoryEntry['meta']> = {};
	readonly #executed: string[] = [];
	readonly #values = new Map<string, Value[]>();
	#signatures = new Map<string, string>();
	readonly #progress: ProgressState;
	#steps = 0;

	constructor(
		private readonly deps: RunDeps,
		private readonly promptId: string,
		private readonly prompt: ApiPrompt,
		private readonly clientId: string | null,
		private readonly extraPngInfo: unknown
	) {
		this.#progress = new ProgressState(promptId);
	}

	/** execution.add_message: recorded for history; sent to the client, or broadcast only when `broadcast`. */
	#addMessage(type: string, data: Record<string, unknown>, broadcast = false): void {
		this.#messages.push([type, data]);
		if (this.clientId !== null || broadcast) this.deps.hub.sendJson(type, data, this.clientId);
	}

	#sendProgressState(): void {
		this.deps.hub.sendJson('progress_state', { prompt_id: this.promptId, nodes: this.#progress.snapshot() }, this.clientId);
	}

	async execute(outputs: string[]): Promise<Finished> {
		const { catalog, files, cache } = this.deps;
		const inputImages = files.inputImages();
		const def = (cls: string) => catalog.def(cls, inputImages);
		this.#addMessage('execution_start', { prompt_id: this.promptId, timestamp: Date.now() });
		let success = false;
		let current: string | null = null;
		// Everything after execution_start ends in a message and a history entry, whatever fails: a stuck
		// worker would block the queue for every later test or demo user.
		try {
			const sigs = signatures(this.prompt, def, (id) => this.#changeToken(id));
			this.#signatures = sigs;
			cache.keepOnly(new Set(sigs.values()));
			const isCached = (id: string) => cache.has(sigs.get(id)!);
			const isOutput = (id: string) => def(this.prompt[id].class_type)?.output_node === true;
			const cached = Object.keys(this.prompt).filter(isCached);
			this.#addMessage('execution_cached', { nodes: cached, prompt_id: this.promptId, timestamp: Date.now() });
			for (const id of executionOrder(this.prompt, outputs, isCached, isOutput)) {
				current = id;
				await this.#runOne(id, sigs.get(id)!, isCached(id));
			}
			success = true;
			this.#addMessage('execution_success', { prompt_id: this.promptId, timestamp: Date.now() });
		} catch (e) {
			this.#reportFailure(current, e);
		}
		return {
			outputs: this.#uiOutputs,
			status: { status_str: success ? 'success' : 'error', completed: success, messages: this.#messages },
			meta: this.#meta
		};
	}

	/** IS_CHANGED of LoadImage-like nodes: a different file under the same name must not hit the cache. */
	#changeToken(id: string): string {
		const image = this.prompt[id].inputs.image;
		return typeof image === 'string' && /LoadImage/.test(this.prompt[id].class_type) ? this.deps.files.changeToken(image) : '';
	}

	async #runOne(id: string, signature: string, cached: boolean): Promise<void> {
		const { hub, cache, catalog, files, options } = this.deps;
		const node = this.prompt[id];
		if (cached) {
			const hit = cache.get(signature)!;
			if (this.clientId !== null) {
				hub.sendJson('executed', { node: id, display_node: id, output: hit.ui, prompt_id: this.promptId }, this.clientId);
			}
			if (hit.ui) this.#recordUi(id, hit.ui);
			this.#progress.finish(id);
			this.#sendProgressState();
			this.#values.set(id, hit.outputs);
			this.#executed.push(id);
			return;
		}
		this.#progress.start(id);
		this.#sendProgressState();
		if (this.clientId !== null) {
			hub.lastNodeId = id;
			hub.sendJson('executing', { node: id, display_node: id, prompt_id: this.promptId }, this.clientId);
		}
		this.deps.checkInterrupt();
		await sleep(0);
		this.deps.checkInterrupt();
		if (options.failNodes.includes(node.class_type)) {
			throw new NodeFailure('RuntimeError', `emulated failure of ${node.class_type} (failNodes option)`);
		}
		const def = catalog.def(node.class_type, files.inputImages())!;
		const missing = options.modern ? missingComboArgument(def, node.inputs) : null;
		if (missing) throw new NodeFailure('TypeError', `${node.class_type}.execute() missing 1 required positional argument: '${missing}'`);
		const result = await runNode(this.#context(id, def, signature));
		cache.set(signature, { outputs: result.outputs, ui: result.ui });
		this.#values.set(id, result.outputs);
		if (result.ui) {
			this.#recordUi(id, result.ui);
			if (this.clientId !== null) {
				hub.sendJson('executed', { node: id, display_node: id, output: result.ui, prompt_id: this.promptId }, this.clientId);
			}
		}
		this.#progress.finish(id);
		this.#sendProgressState();
		this.#executed.push(id);
	}

	#recordUi(id: string, ui: NodeOutput): void {
		this.#uiOutputs[id] = ui;
		this.#meta[id] = metaOf(id);
	}

	#inputs(id: string): { constants: Record<string, unknown>; linked: Record<string, Value> } {
		const constants: Record<string, unknown> = {};
		const linked: Record<string, Value> = {};
		for (const [name, value] of Object.entries(this.prompt[id].inputs)) {
			if (!isLink(value)) {
				constants[name] = value;
				continue;
			}
			// A cached source is not scheduled again: its result comes from the cache.
			const source = this.#values.get(value[0]) ?? this.deps.cache.get(this.#signatures.get(value[0]) ?? '')?.outputs;
			const upstream = source?.[value[1]];
			if (!upstream) continue;
			if (upstream.kind === 'scalar') constants[name] = upstream.value;
			else linked[name] = upstream;
		}
		return { constants, linked };
	}

	#context(id: string, def: NonNullable<ReturnType<Catalog['def']>>, signature: string): NodeContext {
		const { hub, files, options } = this.deps;
		const { constants, linked } = this.#inputs(id);
		return {
			id,
			classType: this.prompt[id].class_type,
			def,
			constants,
			linked,
			signature,
			defaultPreviewFormat: options.previewFormat,
			step: (value, max, preview) => this.#step(id, value, max, preview),
			progressText: (text) => hub.sendBinary(encodeTextFrame(id, text), null),
			saveImages: (type, prefix, tensor) =>
				saveImages(files, { type, prefix, tensor, prompt: this.prompt, extraPngInfo: this.extraPngInfo }),
			saveAudio: (type, prefix, tensor) =>
				saveAudio(files, { type, prefix, tensor, prompt: this.prompt, extraPngInfo: this.extraPngInfo }),
			makePreview: (format, step, max, size) => makePreview(format, `${signature}:${step}`, step, max, size.width, size.height),
			inputImageSize: async (value) => {
				const path = files.annotatedPath(value);
				const bytes = path ? await files.read(path) : null;
				return bytes ? imageSize(bytes) : null;
			}
		};
	}

	async #step(id: string, value: number, max: number, preview: (step: number) => Preview | null): Promise<void> {
		const { hub, options } = this.deps;
		await sleep(options.stepMs);
		this.deps.checkInterrupt();
		this.#progress.update(id, value, max);
		this.#sendProgressState();
		const image = preview(value);
		const withMetadata = hub.supportsPreviewMetadata(this.clientId);
		if (image && withMetadata) {
			const meta = { node_id: id, prompt_id: this.promptId, display_node_id: id, parent_node_id: null, real_node_id: id };
			hub.sendBinary(encodePreviewFrame({ imageType: image.mime, image: image.bytes, meta }), this.clientId);
		}
		hub.sendJson('progress', { value, max, prompt_id: this.promptId, node: id }, this.clientId);
		if (image && !withMetadata) hub.sendBinary(encodePreviewFrame({ imageType: image.mime, image: image.bytes }), this.clientId);
		this.#steps++;
		if (options.dropSocketAfterSteps !== undefined && this.#steps === options.dropSocketAfterSteps) hub.drop(this.clientId);
	}

	#reportFailure(nodeId: string | null, error: unknown): void {
		const id = nodeId ?? '';
		const nodeType = nodeId ? this.prompt[nodeId].class_type : '';
		if (error instanceof Interrupted) {
			const data = { prompt_id: this.promptId, node_id: id, node_type: nodeType, executed: [...this.#executed], timestamp: Date.now() };
			this.#addMessage('execution_interrupted', data, true);
			return;
		}
		const failure = error instanceof NodeFailure ? error : new NodeFailure('Exception', error instanceof Error ? error.message : String(error));
		const inputs = nodeId ? this.#inputs(nodeId) : { constants: {}, linked: {} };
		// The server's current_inputs are the arguments it built: the class's declared inputs (a dynamic combo
		// only when its key is known, and then not as its dotted parts).
		const def = nodeId ? this.deps.catalog.def(nodeType, this.deps.files.inputImages()) : undefined;
		const declared = new Set([...Object.keys(def?.input.required ?? {}), ...Object.keys(def?.input.optional ?? {})]);
		const missing = def && this.deps.options.modern ? missingComboArgument(def, this.prompt[nodeId!].inputs) : null;
		const shown = (name: string) => !def || (declared.has(name) && name !== missing);
		const currentInputs: Record<string, unknown[]> = {};
		for (const [name, value] of Object.entries(inputs.constants)) if (shown(name)) currentInputs[name] = [value];
		for (const [name, value] of Object.entries(inputs.linked)) if (shown(name)) currentInputs[name] = [describe(value)];
		this.#addMessage('execution_error', {
			prompt_id: this.promptId,
			node_id: id,
			node_type: nodeType,
			executed: [...this.#executed],
			exception_message: `${failure.message}\n`,
			exception_type: failure.exceptionType,
			traceback: [`  File "tools/comfy-emulator/nodes.ts", in ${nodeType || 'execute'} (emulated)\n`],
			current_inputs: currentInputs,
			current_outputs: Object.keys(this.prompt),
			timestamp: Date.now()
		});
	}
}
