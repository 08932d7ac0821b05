// Read-only server information: /system_stats, /features, /object_info, /models, /embeddings.
import type { SystemStats } from '../../../src/lib/comfy/types';
import type { EmulatorCore } from '../core';
import { empty, json, jsonText, type Router } from './router';

const GIB = 1024 ** 3;

function systemStats(): SystemStats {
	return {
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
		devices: [
			{
				name: 'emulator (no GPU, no models: results are generated pictures)',
				type: 'cpu',
				index: null,
				vram_total: 8 * GIB,
				vram_free: 8 * GIB,
				torch_vram_total: 8 * GIB,
				torch_vram_free: 8 * GIB
			}
		]
	};
}

export function infoRoutes(router: Router, core: EmulatorCore): void {
	router.add('GET', '/system_stats', () => json(systemStats()));
	router.add('GET', '/features', () => json(core.features));
	router.add('GET', '/object_info', () => jsonText(core.catalog.stringify(core.catalog.all(core.files.inputImages()))));
	router.add('GET', '/object_info/{name}', (req) => {
		const def = core.catalog.def(req.params.name, core.files.inputImages());
		return jsonText(core.catalog.stringify(def ? { [req.params.name]: def } : {}));
	});
	router.add('GET', '/models', () => json(core.catalog.modelFolders()));
	router.add('GET', '/models/{folder}', (req) => {
		const models = core.catalog.models(req.params.folder);
		return models ? json(models) : empty(404);
	});
	router.add('GET', '/embeddings', () => json((core.catalog.models('embeddings') ?? []).map((f) => f.replace(/\.[^.]+$/, ''))));
}
