// How emulated nodes behave. Every class of /object_info runs; a few behave specially: samplers report steps with
// previews, SaveImage/PreviewImage write real PNGs, SaveAudio/PreviewAudio real FLACs, PreviewAny shows text, GetImageSize sends progress text and
// ProbeFail raises. Everything else passes a described tensor (values.ts) downstream.
import type { NodeDef, NodeOutput, OutputFile } from '../../src/lib/comfy/types';
import type { Preview } from './previews';
import { inferSize, isPrimitive, type Scalar, type Size, type Tensor, type Value } from './values';

export interface NodeContext {
	id: string;
	classType: string;
	def: NodeDef;
	/** Constant inputs, plus primitive values that arrived over links. */
	constants: Record<string, unknown>;
	/** Linked tensor inputs. */
	linked: Record<string, Value>;
	signature: string;
	/** One sampler step: waits the step time, honours interrupts, sends progress (and the preview). */
	step(value: number, max: number, preview: (step: number) => Preview | null): Promise<void>;
	/** A type-3 progress text frame. */
	progressText(text: string): void;
	saveImages(type: 'output' | 'temp', prefix: string, tensor: Tensor): Promise<OutputFile[]>;
	saveAudio(type: 'output' | 'temp', prefix: string, tensor: Tensor): Promise<OutputFile[]>;
	makePreview(format: 'jpeg' | 'png', step: number, max: number, size: Size): Preview;
	/** Width and height of an input-folder image named like a LoadImage value, or null. */
	inputImageSize(value: string): Promise<{ width: number; height: number } | null>;
	defaultPreviewFormat: 'jpeg' | 'png';
}

export interface NodeResult {
	outputs: Value[];
	ui: NodeOutput | null;
}

/** A node failure as the server reports it in `execution_error` (exception_type, message). */
export class NodeFailure extends Error {
	constructor(
		readonly exceptionType: string,
		message: string
	) {
		super(message);
	}
}

function numberOf(value: unknown): number | undefined {
	return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function defaultScalar(type: unknown): unknown {
	if (type === 'INT' || type === 'FLOAT') return 0;
	if (type === 'BOOLEAN') return false;
	return '';
}

function tensorInput(ctx: NodeContext, name: string): Tensor | undefined {
	const value = ctx.linked[name];
	return value?.kind === 'tensor' ? value : undefined;
}

function sigmaSteps(ctx: NodeContext): number | undefined {
	return Object.values(ctx.linked).find((v): v is Tensor => v.kind === 'tensor' && v.type === 'SIGMAS')?.steps;
}

/** Default outputs: primitives from same-named inputs (or `value`), tensors sized from the graph. */
function passThrough(ctx: NodeContext, size: Size = inferSize(ctx.constants, ctx.linked)): Value[] {
	const names = ctx.def.output_name ?? [];
	const steps = numberOf(ctx.constants.steps) ?? sigmaSteps(ctx);
	const scaleMatch = /(\d+)x|x(\d+)/i.exec(String(ctx.constants.model_name ?? ''));
	const seconds = numberOf(ctx.constants.seconds) ?? Object.values(ctx.linked).find((v): v is Tensor => v.kind === 'tensor' && v.seconds !== undefined)?.seconds;
	return ctx.def.output.map((type, i): Value => {
		if (isPrimitive(type) || Array.isArray(type)) {
			const name = names[i];
			const value = name !== undefined && name in ctx.constants ? ctx.constants[name] : (ctx.constants.value ?? defaultScalar(type));
			return { kind: 'scalar', value } satisfies Scalar;
		}
		const tensor: Tensor = { kind: 'tensor', type: String(type), ...size, fingerprint: `${ctx.signature}:${i}` };
		if (type === 'SIGMAS' && steps !== undefined) tensor.steps = steps;
		if (type === 'UPSCALE_MODEL') tensor.scale = scaleMatch ? Number(scaleMatch[1] ?? scaleMatch[2]) : 4;
		if (seconds !== undefined && (type === 'LATENT' || type === 'AUDIO')) tensor.seconds = seconds;
		return tensor;
	});
}

/** Steps of a sampler-like node: a `steps` widget (minus a KSamplerAdvanced window), or the linked sigmas. */
function samplingSteps(ctx: NodeContext): number | null {
	if (!ctx.def.output.some((t) => t === 'LATENT' || t === 'IMAGE')) return null;
	const steps = numberOf(ctx.constants.steps);
	if (steps !== undefined) {
		const start = numberOf(ctx.constants.start_at_step) ?? 0;
		const end = Math.min(numberOf(ctx.constants.end_at_step) ?? steps, steps);
		return Math.max(1, end - start);
	}
	return sigmaSteps(ctx) ?? null;
}

async function sample(ctx: NodeContext, steps: number, format: 'jpeg' | 'png'): Promise<NodeResult> {
	const size = inferSize(ctx.constants, ctx.linked);
	for (let i = 1; i <= steps; i++) await ctx.step(i, steps, (s) => ctx.makePreview(format, s, steps, size));
	return { outputs: passThrough(ctx, size), ui: null };
}

async function saveImages(ctx: NodeContext, type: 'output' | 'temp', prefix: string): Promise<NodeResult> {
	const images = tensorInput(ctx, 'images');
	if (!images) throw new NodeFailure('RuntimeError', 'images input is not an image');
	return { outputs: [], ui: { images: await ctx.saveImages(type, prefix, images) } };
}

async function saveAudio(ctx: NodeContext, type: 'output' | 'temp', prefix: string): Promise<NodeResult> {
	const audio = tensorInput(ctx, 'audio');
	if (!audio) throw new NodeFailure('RuntimeError', 'audio input is not audio');
	return { outputs: [], ui: { audio: await ctx.saveAudio(type, prefix, audio) } };
}

/** PreviewImage/PreviewAudio's prefix: "_temp_" and five random letters (from the server's own alphabet). */
function tempPrefix(): string {
	const letters = 'abcdefghijklmnopqrstupvxyz';
	return `ComfyUI_temp_${Array.from({ length: 5 }, () => letters[Math.floor(Math.random() * letters.length)]).join('')}`;
}

/** PreviewAny's formatting: strings as they are, numbers and booleans with str(), anything else as JSON. */
function previewText(value: Value | undefined, constant: unknown): string {
	const v = value === undefined ? constant : value.kind === 'scalar' ? value.value : `${value.type} ${value.batch}×${value.height}×${value.width}`;
	if (v === undefined || v === null) return 'None';
	if (typeof v === 'string') return v;
	if (typeof v === 'boolean') return v ? 'True' : 'False';
	if (typeof v === 'number') return String(v);
	return JSON.stringify(v);
}

/** LoadImage's outputs have the size of the file it loads, so img2img results keep the input's size. */
async function loadImage(ctx: NodeContext): Promise<NodeResult> {
	const size = await ctx.inputImageSize(String(ctx.constants.image ?? ''));
	if (!size) throw new NodeFailure('FileNotFoundError', `No such input image: ${String(ctx.constants.image)}`);
	return { outputs: passThrough(ctx, { ...size, batch: 1 }), ui: null };
}

type Behaviour = (ctx: NodeContext) => Promise<NodeResult>;

const SPECIAL: Record<string, Behaviour> = {
	SlowNoiseImage: (ctx) => {
		const format = ctx.constants.preview_format === 'PNG' ? 'png' : ctx.constants.preview_format === 'JPEG' ? 'jpeg' : ctx.defaultPreviewFormat;
		return sample(ctx, Math.max(1, numberOf(ctx.constants.steps) ?? 1), format);
	},
	ProbeFail: async (ctx) => {
		throw new NodeFailure('RuntimeError', String(ctx.constants.message ?? 'probe failure'));
	},
	SaveImage: (ctx) => saveImages(ctx, 'output', String(ctx.constants.filename_prefix ?? 'ComfyUI')),
	PreviewImage: (ctx) => saveImages(ctx, 'temp', tempPrefix()),
	SaveAudio: (ctx) => saveAudio(ctx, 'output', String(ctx.constants.filename_prefix ?? 'audio/ComfyUI')),
	PreviewAudio: (ctx) => saveAudio(ctx, 'temp', tempPrefix()),
	LoadImage: (ctx) => loadImage(ctx),
	LoadImageMask: (ctx) => loadImage(ctx),
	PreviewAny: async (ctx) => ({ outputs: [], ui: { text: [previewText(ctx.linked.source, ctx.constants.source)] } }),
	GetImageSize: async (ctx) => {
		const image = tensorInput(ctx, 'image');
		const [width, height, batch] = [image?.width ?? 0, image?.height ?? 0, image?.batch ?? 0];
		ctx.progressText(`width: ${width}, height: ${height}\n batch size: ${batch}`);
		return { outputs: [width, height, batch].map((value): Scalar => ({ kind: 'scalar', value })), ui: null };
	}
};

export async function runNode(ctx: NodeContext): Promise<NodeResult> {
	const special = SPECIAL[ctx.classType];
	if (special) return special(ctx);
	const steps = samplingSteps(ctx);
	if (steps !== null) return sample(ctx, steps, ctx.defaultPreviewFormat);
	return { outputs: passThrough(ctx), ui: null };
}
