// The server generations the emulator can be: '0.3.64' (tests/fixtures/captures, the default) and '2026'
// (ComfyUI 0.33.0 as recorded in tests/fixtures/captures-2026): what differs between them, in one place.
import type { ServerFeatures, SystemStats } from '../../src/lib/comfy/types';

export type ProfileName = '0.3.64' | '2026';
export const PROFILES: readonly ProfileName[] = ['0.3.64', '2026'];

export interface Profile {
	name: ProfileName;
	/** File under assets/ with the node classes of that server. */
	objectInfoAsset: string;
	/** /features and the WebSocket feature_flags reply. */
	features(maxUploadSize: number): ServerFeatures;
	systemStats(): SystemStats;
	/** The model folders /models lists, in the server's order (null: those of assets/models.json). */
	modelFolders: string[] | null;
	/** /api/jobs, the client prompt_id rules, missing_node_type, V3 dynamic combos, create_time, /api/assets 503,
	 *  `X-Content-Type-Options: nosniff` on /view. */
	modern: boolean;
}

const GIB = 1024 ** 3;

function device(): SystemStats['devices'][number] {
	return {
		name: 'emulator (no GPU, no models: results are generated pictures)',
		type: 'cpu',
		index: null,
		vram_total: 8 * GIB,
		vram_free: 8 * GIB,
		torch_vram_total: 8 * GIB,
		torch_vram_free: 8 * GIB
	};
}

const LEGACY: Profile = {
	name: '0.3.64',
	objectInfoAsset: 'object_info.json',
	modelFolders: null,
	modern: false,
	features: (maxUpload) => ({ supports_preview_metadata: true, max_upload_size: maxUpload }),
	systemStats: () => ({
		system: {
			os: 'posix',
			ram_total: 32 * GIB,
			ram_free: 24 * GIB,
			comfyui_version: '0.3.64',
			required_frontend_version: '1.27.10',
			installed_templates_version: null,
			required_templates_version: '0.1.95',
			python_version: '3.11.2 (emulated)',
			pytorch_version: '2.8.0 (emulated)',
			embedded_python: false,
			argv: ['main.py', '--comfy-emulator']
		},
		devices: [device()]
	})
};

const PACKAGES: [string, string][] = [
	['comfyui-frontend-package', '1.49.6'],
	['comfyui-workflow-templates', '0.11.44'],
	['comfyui-embedded-docs', '0.5.10'],
	['comfy-kitchen', '0.2.31'],
	['comfy-aimdo', '0.4.13']
];

const MODERN: Profile = {
	name: '2026',
	objectInfoAsset: 'object_info-2026.json',
	// 0.33 registers more folders (captures-2026 models.json); the demo models stay in the folders they have.
	modelFolders: [
		'checkpoints', 'configs', 'loras', 'vae', 'text_encoders', 'diffusion_models', 'clip_vision', 'style_models', 'embeddings', 'diffusers',
		'vae_approx', 'controlnet', 'gligen', 'upscale_models', 'latent_upscale_models', 'custom_nodes', 'datasets', 'hypernetworks', 'photomaker',
		'classifiers', 'model_patches', 'audio_encoders', 'background_removal', 'frame_interpolation', 'geometry_estimation', 'optical_flow', 'detection'
	],
	modern: true,
	// The whole server feature object, as 0.33 sends it (assets off, its default in the captured run).
	features: (maxUpload) => ({
		supports_preview_metadata: true,
		supports_model_type_tags: true,
		max_upload_size: maxUpload,
		extension: { manager: { supports_v4: true } },
		node_replacements: true,
		assets: false
	}),
	systemStats: () => ({
		system: {
			os: 'linux',
			ram_total: 32 * GIB,
			ram_free: 24 * GIB,
			comfyui_version: '0.33.0',
			required_frontend_version: '1.49.6',
			installed_templates_version: null,
			required_templates_version: '0.11.44',
			comfy_package_versions: PACKAGES.map(([name, required]) => ({ name, installed: null, required })),
			python_version: '3.11.7 (emulated)',
			pytorch_version: '2.13.0 (emulated)',
			embedded_python: false,
			deploy_environment: 'local-git',
			argv: ['main.py', '--comfy-emulator', '--profile', '2026']
		},
		devices: [device()]
	})
};

export function profileOf(name: ProfileName | undefined): Profile {
	return name === '2026' ? MODERN : LEGACY;
}
