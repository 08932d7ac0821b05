// Where the wizard keeps what it must remember between runs: outside the repository, readable by the user only.
// - admin-secret: the relay's ADMIN_SECRET (needed for pairing; Cloudflare never shows a secret again)
// - setup-remote.json: what was deployed (relay URL, ComfyUI URL, code version); nothing secret
import { join } from 'node:path';

export function stateDir(home: string): string {
	return join(home, '.config', 'comfy-pocket');
}

export function adminSecretPath(home: string): string {
	return join(stateDir(home), 'admin-secret');
}

export function statePath(home: string): string {
	return join(stateDir(home), 'setup-remote.json');
}

export interface DeployState {
	relayUrl: string;
	comfyUrl: string;
	version: string;
}

export function parseDeployState(text: string | null): DeployState | null {
	if (text === null) return null;
	try {
		const v = JSON.parse(text) as Partial<DeployState>;
		return typeof v.relayUrl === 'string' && typeof v.comfyUrl === 'string' && typeof v.version === 'string'
			? { relayUrl: v.relayUrl, comfyUrl: v.comfyUrl, version: v.version }
			: null;
	} catch {
		return null;
	}
}
