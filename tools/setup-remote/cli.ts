// `npm run setup-remote`: reach ComfyUI away from home in one command (see docs/relay.md, "Away from home in one
// command"). Flags: `npm run setup-remote -- --help`.
import { parseFlags } from './answers';
import { realPorts } from './real-ports';
import { runWizard } from './wizard';

async function main(): Promise<number> {
	let flags;
	try {
		flags = parseFlags(process.argv.slice(2));
	} catch (error) {
		console.error(`setup-remote: ${error instanceof Error ? error.message : String(error)} (see --help)`);
		return 2;
	}
	const ports = realPorts();
	return runWizard(ports, flags, {
		interactive: process.stdin.isTTY === true && !flags.yes,
		apiToken: process.env.SETUP_REMOTE_API_TOKEN,
		adminSecret: process.env.ADMIN_SECRET,
		useToken: (token) => ports.setToken(token),
		useAccount: (account) => ports.setAccount(account)
	});
}

main().then(
	(code) => process.exit(code),
	(error: unknown) => {
		console.error(`setup-remote: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
		process.exit(1);
	}
);
