// The node classes the emulator knows: the real /object_info of ComfyUI 0.3.64, or of 0.33.0 for the 2026 profile
// (core nodes plus the capture probe nodes SlowNoiseImage and ProbeFail), with the model combos filled from a demo model set, and the image combos of
// LoadImage-like nodes filled from the emulated input folder at request time (the real server rescans each call).
import { readFileSync } from 'node:fs';
import type { InputSpec, NodeDef, ObjectInfo } from '../../src/lib/comfy/types';

interface ModelsAsset {
	combo_folders: Record<string, string>;
	models: Record<string, string[]>;
	input_images: string[];
}

/** Classes whose `image` combo lists the files of the input folder. */
const INPUT_IMAGE_COMBOS = ['LoadImage', 'LoadImageMask'];

function assetText(name: string): string {
	return readFileSync(new URL(`./assets/${name}`, import.meta.url), 'utf8');
}

/**
 * Integer literals beyond 2^53 (seed maxima like 18446744073709551615) do not survive JSON.parse. Remember how
 * each one prints after the round trip so the served JSON carries the server's exact digits again.
 */
function bigLiteralFixes(text: string): Map<string, string> {
	const fixes = new Map<string, string>();
	for (const literal of text.match(/(?<![\d.])\d{16,}(?![\d.])/g) ?? []) {
		const rounded = String(Number(literal));
		if (rounded !== literal) fixes.set(rounded, literal);
	}
	return fixes;
}

function specOptions(spec: InputSpec): unknown[] | null {
	if (Array.isArray(spec[0])) return spec[0];
	if (spec[0] === 'COMBO' && Array.isArray(spec[1]?.options)) return spec[1].options;
	return null;
}

function withOptions(spec: InputSpec, options: unknown[]): InputSpec {
	if (Array.isArray(spec[0])) return spec.length > 1 ? [options, spec[1]!] : [options];
	return ['COMBO', { ...spec[1], options }];
}

function findSpec(def: NodeDef, input: string): { group: 'required' | 'optional'; spec: InputSpec } | null {
	for (const group of ['required', 'optional'] as const) {
		const spec = def.input[group]?.[input];
		if (spec) return { group, spec };
	}
	return null;
}

function replaceSpec(def: NodeDef, input: string, options: unknown[]): NodeDef {
	const found = findSpec(def, input);
	if (!found) return def;
	const group = { ...def.input[found.group], [input]: withOptions(found.spec, options) };
	return { ...def, input: { ...def.input, [found.group]: group } };
}

export class Catalog {
	readonly #defs: ObjectInfo;
	readonly #models: Record<string, string[]>;
	readonly #bigLiterals: Map<string, string>;
	readonly seedInputImages: string[];

	/** `models` replaces the demo model set (folder → file names); folders it leaves out are empty. */
	constructor(objectInfo?: ObjectInfo, models?: Record<string, string[]>, objectInfoAsset = 'object_info.json') {
		const asset = JSON.parse(assetText('models.json')) as ModelsAsset;
		const folders = Object.fromEntries(Object.keys(asset.models).map((f): [string, string[]] => [f, []]));
		const modelsAsset = { ...asset, models: models ? { ...folders, ...models } : asset.models };
		const text = objectInfo ? null : assetText(objectInfoAsset);
		const defs: ObjectInfo = objectInfo ?? (JSON.parse(text!) as ObjectInfo);
		this.#bigLiterals = text ? bigLiteralFixes(text) : new Map();
		this.#models = modelsAsset.models;
		this.seedInputImages = modelsAsset.input_images;
		this.#defs = {};
		for (const [name, def] of Object.entries(defs)) this.#defs[name] = this.#withModels(name, def, modelsAsset.combo_folders);
	}

	#withModels(name: string, def: NodeDef, comboFolders: Record<string, string>): NodeDef {
		let out = def;
		for (const [key, folder] of Object.entries(comboFolders)) {
			const [cls, input] = key.split('.');
			if (cls !== name) continue;
			const found = findSpec(out, input);
			if (!found) continue;
			// Built-in choices such as VAELoader's "pixel_space" are not files: keep them after the files.
			const builtIns = (specOptions(found.spec) ?? []).filter((o) => typeof o === 'string' && !/\.\w+$/.test(o));
			out = replaceSpec(out, input, [...(this.#models[folder] ?? []), ...builtIns]);
		}
		return out;
	}

	has(classType: string): boolean {
		return Object.hasOwn(this.#defs, classType);
	}

	/** The class definition as /object_info shows it now, given the files of the input folder. */
	def(classType: string, inputImages: string[]): NodeDef | undefined {
		const def = this.has(classType) ? this.#defs[classType] : undefined;
		if (!def || !INPUT_IMAGE_COMBOS.includes(classType)) return def;
		return replaceSpec(def, 'image', inputImages);
	}

	all(inputImages: string[]): ObjectInfo {
		const out: ObjectInfo = {};
		for (const name of Object.keys(this.#defs)) out[name] = this.def(name, inputImages)!;
		return out;
	}

	modelFolders(): string[] {
		return Object.keys(this.#models);
	}

	models(folder: string): string[] | undefined {
		return Object.hasOwn(this.#models, folder) ? this.#models[folder] : undefined;
	}

	/** JSON text with the server's exact big integer literals (see bigLiteralFixes). */
	stringify(value: unknown): string {
		let text = JSON.stringify(value);
		for (const [rounded, literal] of this.#bigLiterals) text = text.replaceAll(rounded, literal);
		return text;
	}
}
