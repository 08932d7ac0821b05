// What flows along the emulated links. No pixels are computed until a node saves an image: a tensor is a
// description (type, size, batch, a fingerprint of everything upstream), which is enough to size and vary results.

export interface Tensor {
	kind: 'tensor';
	/** The socket type: IMAGE, LATENT, MODEL, CONDITIONING… */
	type: string;
	width: number;
	height: number;
	batch: number;
	/** Changes whenever anything upstream changes (seed, prompt text…), so results differ between runs. */
	fingerprint: string;
	/** Sampling steps carried by SIGMAS, for SamplerCustom-style nodes. */
	steps?: number;
	/** Upscale factor carried by an UPSCALE_MODEL. */
	scale?: number;
	/** Duration of audio latents and AUDIO, from EmptyLatentAudio-style `seconds` inputs. */
	seconds?: number;
}

export interface Scalar {
	kind: 'scalar';
	value: unknown;
}

export type Value = Tensor | Scalar;

const PRIMITIVES = new Set(['INT', 'FLOAT', 'STRING', 'BOOLEAN']);
const PICTURE_TYPES = ['LATENT', 'IMAGE', 'MASK'];
/** Generated results are capped so that a huge upscale cannot stall the emulator for seconds per image. */
const MAX_SIDE = 4096;
const DEFAULT_SIDE = 512;

export function isPrimitive(type: unknown): boolean {
	return typeof type === 'string' && PRIMITIVES.has(type);
}

function numberOf(value: unknown): number | undefined {
	return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function clampSide(n: number): number {
	return Math.max(1, Math.min(MAX_SIDE, Math.round(n)));
}

export interface Size {
	width: number;
	height: number;
	batch: number;
}

/**
 * The picture size a node produces: its own width/height inputs when it has them (EmptyLatentImage, ImageScale…),
 * otherwise the size of its picture input, scaled by `scale_by` or by a linked upscale model.
 */
export function inferSize(constants: Record<string, unknown>, linked: Record<string, Value>): Size {
	const tensors = Object.values(linked).filter((v): v is Tensor => v.kind === 'tensor');
	const upstream = tensors.find((t) => PICTURE_TYPES.includes(t.type)) ?? tensors.find((t) => t.type !== 'UPSCALE_MODEL');
	let width = upstream?.width ?? DEFAULT_SIDE;
	let height = upstream?.height ?? DEFAULT_SIDE;
	const scale = numberOf(constants.scale_by) ?? tensors.find((t) => t.type === 'UPSCALE_MODEL')?.scale ?? 1;
	width *= scale;
	height *= scale;
	const ownWidth = numberOf(constants.width);
	const ownHeight = numberOf(constants.height);
	if (ownWidth && ownHeight) [width, height] = [ownWidth, ownHeight];
	else if (ownWidth) [width, height] = [ownWidth, (height * ownWidth) / width];
	else if (ownHeight) [width, height] = [(width * ownHeight) / height, ownHeight];
	const batch = numberOf(constants.batch_size) ?? upstream?.batch ?? 1;
	return { width: clampSide(width), height: clampSide(height), batch: Math.max(1, Math.min(64, Math.round(batch))) };
}

/** Formats an input for `execution_error.current_inputs` (constants as they are, tensors described). */
export function describe(value: Value): unknown {
	if (value.kind === 'scalar') return value.value;
	return `<${value.type} ${value.batch}×${value.height}×${value.width} (emulated)>`;
}
