// Read-only server information: /system_stats, /features, /object_info, /models, /embeddings.
import type { EmulatorCore } from '../core';
import { empty, json, jsonText, type Router } from './router';

export function infoRoutes(router: Router, core: EmulatorCore): void {
	router.add('GET', '/system_stats', () => json(core.profile.systemStats()));
	router.add('GET', '/features', () => json(core.features));
	router.add('GET', '/object_info', () => jsonText(core.catalog.stringify(core.catalog.all(core.files.inputImages()))));
	router.add('GET', '/object_info/{name}', (req) => {
		const def = core.catalog.def(req.params.name, core.files.inputImages());
		return jsonText(core.catalog.stringify(def ? { [req.params.name]: def } : {}));
	});
	const folders = core.profile.modelFolders ?? core.catalog.modelFolders();
	router.add('GET', '/models', () => json(folders));
	router.add('GET', '/models/{folder}', (req) => {
		const models = core.catalog.models(req.params.folder) ?? (folders.includes(req.params.folder) ? [] : undefined);
		return models ? json(models) : empty(404);
	});
	router.add('GET', '/embeddings', () => json((core.catalog.models('embeddings') ?? []).map((f) => f.replace(/\.[^.]+$/, ''))));
}
