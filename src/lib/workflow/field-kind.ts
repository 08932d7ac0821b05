// What kind of form field an input spec becomes, and which model folder a picker lists.
import type { InputSpec } from '../comfy/types';
import type { FieldKind } from './types';
import { comboOptions, specOptions, specType } from './widgets';

/** Input name → models folder (as /models/{folder} names it). Checked after the class-specific table. */
const FOLDER_BY_INPUT: Record<string, string> = {
	ckpt_name: 'checkpoints',
	lora_name: 'loras',
	vae_name: 'vae',
	unet_name: 'diffusion_models',
	control_net_name: 'controlnet',
	style_model_name: 'style_models',
	gligen_name: 'gligen',
	hypernetwork_name: 'hypernetworks',
	clip_name: 'text_encoders',
	clip_name1: 'text_encoders',
	clip_name2: 'text_encoders',
	clip_name3: 'text_encoders',
	clip_name4: 'text_encoders',
	photomaker_model_name: 'photomaker',
	audio_encoder_name: 'audio_encoders',
	model_patch_name: 'model_patches'
};

const FOLDER_BY_CLASS_INPUT: Record<string, string> = {
	'CLIPVisionLoader.clip_name': 'clip_vision',
	'UpscaleModelLoader.model_name': 'upscale_models',
	'LoraLoaderModelOnly.lora_name': 'loras',
	'unCLIPCheckpointLoader.ckpt_name': 'checkpoints',
	'ImageOnlyCheckpointLoader.ckpt_name': 'checkpoints'
};

const SEED_NAMES = new Set(['seed', 'noise_seed']);

export function modelFolder(classType: string, input: string): string | undefined {
	return FOLDER_BY_CLASS_INPUT[`${classType}.${input}`] ?? FOLDER_BY_INPUT[input];
}

export function fieldKind(classType: string, input: string, spec: InputSpec): FieldKind | undefined {
	const type = specType(spec);
	const o = specOptions(spec);
	switch (type) {
		case 'INT':
			return o.control_after_generate || (o.control_after_generate === undefined && SEED_NAMES.has(input)) ? 'seed' : 'int';
		case 'FLOAT':
			return 'float';
		case 'BOOLEAN':
			return 'boolean';
		case 'STRING':
			return o.multiline ? 'multiline' : 'text';
		case 'COMBO': {
			if (o.image_upload) return 'image';
			const folder = modelFolder(classType, input);
			if (folder === 'loras') return 'lora';
			if (folder) return 'model';
			return comboOptions(spec) ? 'combo' : undefined;
		}
		default:
			return undefined;
	}
}
