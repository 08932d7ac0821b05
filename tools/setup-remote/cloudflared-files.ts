// What the wizard writes for cloudflared (in the person's ~/.cloudflared, never in the repository) and how it runs
// cloudflared on each OS. Formats follow Cloudflare's docs for locally managed tunnels
// (cloudflare-one/connections/connect-networks/do-more-with-tunnels/local-management/configuration-file/ and
// .../as-a-service/): checked against the documentation only.
import { join } from 'node:path';

/** Marks a config file as the wizard's own, so a later run may rewrite it and never touches anyone else's. */
export const CONFIG_MARKER = '# Written by `npm run setup-remote` (Comfy Pocket).';

/** The wizard's config file: its own name, so an existing ~/.cloudflared/config.yml for other tunnels stays as it is. */
export function configPath(home: string, tunnelName: string): string {
	return join(home, '.cloudflared', `${tunnelName}.yml`);
}

export function credentialsPath(home: string, tunnelId: string): string {
	return join(home, '.cloudflared', `${tunnelId}.json`);
}

/**
 * YAML quoting for the few values we write: plain when safe, else double-quoted with escapes. A `${key}` reference
 * (filled in later with an id) counts as safe, so the file reads the same whether the id was known when planning.
 */
function yamlValue(value: string): string {
	return /^[A-Za-z0-9_./:@-]+$/.test(value.replace(/\$\{[A-Za-z0-9_.]+\}/g, 'x')) ? value : JSON.stringify(value);
}

/**
 * The ingress config: the hostname goes to ComfyUI on loopback; anything else gets 404, so the tunnel is never an
 * open proxy to the rest of the machine.
 */
export function ingressConfig(opts: { tunnelId: string; credentialsFile: string; hostname: string; comfyPort: number }): string {
	return [
		CONFIG_MARKER,
		'# Run it with: cloudflared tunnel --config <this file> run',
		`tunnel: ${yamlValue(opts.tunnelId)}`,
		`credentials-file: ${yamlValue(opts.credentialsFile)}`,
		'ingress:',
		`  - hostname: ${yamlValue(opts.hostname)}`,
		`    service: http://127.0.0.1:${opts.comfyPort}`,
		'  - service: http_status:404',
		''
	].join('\n');
}

/** The credentials file `cloudflared tunnel create` would write, made from the API's values. */
export function credentialsFile(accountId: string, tunnelId: string, tunnelSecretRef: string): string {
	return `${JSON.stringify({ AccountTag: accountId, TunnelID: tunnelId, TunnelSecret: tunnelSecretRef })}\n`;
}

/**
 * A tunnel token (GET …/cfd_tunnel/{id}/token) is base64 of `{"a": account, "t": tunnel id, "s": secret}`; the
 * secret is what a credentials file needs. Returns null for anything else.
 */
export function secretFromTunnelToken(token: string): string | null {
	try {
		const parsed = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { s?: unknown };
		return typeof parsed.s === 'string' && parsed.s.length > 0 ? parsed.s : null;
	} catch {
		return null;
	}
}

/** How to install cloudflared, per OS (cloudflare-one/connections/connect-networks/downloads/). */
export function installHint(platform: NodeJS.Platform): string {
	switch (platform) {
		case 'darwin':
			return 'brew install cloudflared';
		case 'win32':
			return 'winget install --id Cloudflare.cloudflared';
		case 'linux':
			return 'Debian/Ubuntu: add Cloudflare\'s apt repository (pkg.cloudflare.com) and `sudo apt-get install cloudflared`; other distributions: download the binary from https://github.com/cloudflare/cloudflared/releases/latest';
		default:
			return 'download cloudflared from https://github.com/cloudflare/cloudflared/releases/latest';
	}
}

export type ServicePlan =
	| { kind: 'command'; tool: 'cloudflared' | 'sudo'; args: string[]; note: string; fix: string }
	| { kind: 'manual'; instructions: string };

/** The command that runs the tunnel in the foreground (always possible). */
export function runCommand(config: string): string {
	return `cloudflared tunnel --config ${config} run`;
}

/**
 * Running the tunnel as a service "where the OS allows": Linux through systemd (needs root, hence sudo), macOS as a
 * launch agent of the user (cloudflared reads ~/.cloudflared/config.yml there, so the wizard cannot point it at its own
 * file), Windows by hand.
 */
export function servicePlan(platform: NodeJS.Platform, isRoot: boolean, config: string): ServicePlan {
	if (platform === 'linux') {
		const args = ['--config', config, 'service', 'install'];
		const fix = `If the service is installed but stopped: \`sudo systemctl start cloudflared\`. If a cloudflared service already runs another tunnel, add this hostname to that tunnel's config instead, or run this one in a terminal: ${runCommand(config)}`;
		return isRoot
			? { kind: 'command', tool: 'cloudflared', args, note: 'installs and starts the cloudflared systemd service', fix }
			: { kind: 'command', tool: 'sudo', args: ['cloudflared', ...args], note: 'installs and starts the cloudflared systemd service (sudo asks for your password)', fix };
	}
	if (platform === 'darwin') {
		return {
			kind: 'manual',
			instructions: `macOS runs cloudflared's service from ~/.cloudflared/config.yml: copy ${config} to ~/.cloudflared/config.yml (if you have no other tunnel there), then run \`cloudflared service install\`. Or keep it in a terminal: ${runCommand(config)}`
		};
	}
	return {
		kind: 'manual',
		instructions: `Run the tunnel with \`${runCommand(config)}\` (keep the window open), or install it as a Windows service as described at https://developers.cloudflare.com/cloudflare-one/connections/connect-networks/do-more-with-tunnels/local-management/as-a-service/windows/`
	};
}
