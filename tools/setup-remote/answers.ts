// The wizard's questions: each has a flag (so it runs unattended) and, when a person is there, a prompt with a
// default. Bad answers get a clear message before anything is touched.
import { parseArgs } from 'node:util';
import type { Ports } from './ports';
import type { Account, Answers } from './types';

export interface Flags {
	hostname?: string;
	comfyPort?: string;
	accountId?: string;
	tunnelName: string;
	accessName: string;
	replaceDns: boolean;
	service: string;
	relayUrl?: string;
	apiToken?: string;
	dryRun: boolean;
	offline: boolean;
	yes: boolean;
	help: boolean;
}

export const USAGE = `npm run setup-remote -- [options]

Sets up ComfyUI for use away from home: a Cloudflare Tunnel to this machine, Cloudflare Access in front of it (a
service token and a Service Auth policy), the relay's secrets, build and deploy, an end-to-end check, and the
pairing QR code. Safe to run again: it changes only what is missing or wrong.

  --hostname HOST        public hostname for ComfyUI, in a zone of your account (e.g. comfy.example.com)
  --comfy-port N         port ComfyUI listens on here (default 8188)
  --account-id ID        Cloudflare account (default: the one wrangler is logged in to, if only one)
  --tunnel-name NAME     tunnel to create or reuse (default comfy-pocket)
  --access-name NAME     name of the Access application, service token and policy (default "Comfy Pocket relay")
  --replace-dns          point an existing DNS record for HOST at the tunnel (else the wizard stops)
  --service install|skip run cloudflared as a service where the OS allows (default install)
  --relay-url URL        the relay's address if not the workers.dev one wrangler prints (custom domain)
  --api-token TOKEN      Cloudflare API token (better: the SETUP_REMOTE_API_TOKEN environment variable)
  --dry-run              print the plan and every API call and command, secrets masked; change nothing
  --offline              with --dry-run: look at nothing (no network, no CLI); plan as for a new account
  --yes                  ask nothing: every answer from flags or defaults
`;

export function parseFlags(argv: string[]): Flags {
	const { values } = parseArgs({
		args: argv,
		strict: true,
		options: {
			hostname: { type: 'string' },
			'comfy-port': { type: 'string' },
			'account-id': { type: 'string' },
			'tunnel-name': { type: 'string', default: 'comfy-pocket' },
			'access-name': { type: 'string', default: 'Comfy Pocket relay' },
			'replace-dns': { type: 'boolean', default: false },
			service: { type: 'string', default: 'install' },
			'relay-url': { type: 'string' },
			'api-token': { type: 'string' },
			'dry-run': { type: 'boolean', default: false },
			offline: { type: 'boolean', default: false },
			yes: { type: 'boolean', default: false },
			help: { type: 'boolean', default: false }
		}
	});
	return {
		hostname: values.hostname,
		comfyPort: values['comfy-port'],
		accountId: values['account-id'],
		tunnelName: values['tunnel-name'] ?? 'comfy-pocket',
		accessName: values['access-name'] ?? 'Comfy Pocket relay',
		replaceDns: values['replace-dns'] ?? false,
		service: values.service ?? 'install',
		relayUrl: values['relay-url'],
		apiToken: values['api-token'],
		dryRun: values['dry-run'] ?? false,
		offline: values.offline ?? false,
		yes: values.yes ?? false,
		help: values.help ?? false
	};
}

const HOSTNAME = /^(?=.{4,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const ACCOUNT = /^[0-9a-f]{32}$/;
const NAME = /^[A-Za-z0-9][A-Za-z0-9 ._-]{0,62}$/;

/** Checks one set of answers; returns every problem at once. */
export function validateAnswers(a: Answers): string[] {
	const problems: string[] = [];
	if (!HOSTNAME.test(a.hostname)) problems.push(`--hostname "${a.hostname}" is not a hostname like comfy.example.com (lower case, no scheme, no path).`);
	if (!Number.isInteger(a.comfyPort) || a.comfyPort < 1 || a.comfyPort > 65535) problems.push(`--comfy-port must be a port number (1–65535).`);
	if (!ACCOUNT.test(a.accountId)) problems.push(`--account-id "${a.accountId}" is not a Cloudflare account id (32 hexadecimal characters; dashboard → Account details).`);
	if (!NAME.test(a.tunnelName) || a.tunnelName.includes(' ')) problems.push(`--tunnel-name may hold letters, digits, ".", "_" and "-" only.`);
	if (!NAME.test(a.accessName)) problems.push(`--access-name may hold letters, digits, spaces, ".", "_" and "-" only.`);
	if (a.relayUrl !== null && !/^https:\/\/[^/\s]+$/.test(a.relayUrl)) problems.push(`--relay-url must be an https origin without a path, e.g. https://pocket.example.com.`);
	return problems;
}

/** Answers from flags, asking for what is missing when someone is there (`interactive`). */
export async function collectAnswers(flags: Flags, ports: Ports, accounts: Account[], interactive: boolean): Promise<Answers> {
	const ask = async (question: string, given: string | undefined, fallback: string) =>
		given ?? (interactive ? (await ports.ask(question, fallback)).trim() : fallback);
	const hostname = (await ask('Public hostname for ComfyUI (in a zone of your Cloudflare account)', flags.hostname, '')).toLowerCase();
	const port = await ask('Port ComfyUI listens on here', flags.comfyPort, '8188');
	const onlyAccount = accounts.length === 1 ? accounts[0].id : '';
	if (interactive && !flags.accountId && accounts.length > 1) ports.log(`Accounts: ${accounts.map((x) => `${x.name} = ${x.id}`).join(', ')}`);
	const accountId = await ask('Cloudflare account id', flags.accountId, onlyAccount);
	const service = flags.service === 'skip' ? 'skip' : 'install';
	return {
		hostname,
		comfyPort: Number(port),
		accountId,
		tunnelName: flags.tunnelName,
		accessName: flags.accessName,
		replaceDns: flags.replaceDns,
		service,
		relayUrl: flags.relayUrl?.replace(/\/+$/, '') ?? null
	};
}
