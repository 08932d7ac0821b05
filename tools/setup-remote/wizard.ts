// The wizard from start to end, over the ports: checks, answers, what exists, the plan, then (unless --dry-run)
// the steps, the end-to-end check and the pairing QR code. Returns the exit code.
import { randomBytes } from 'node:crypto';
import { collectAnswers, USAGE, validateAnswers, type Flags } from './answers';
import { applyPlan, describePlan } from './apply';
import { REQUIRED_PERMISSIONS } from './cloudflare-api';
import { mask } from './context';
import { TOKEN_PAGE, type Verdict } from './diagnose';
import { checkAccount, CheckFailed, checkCloudflared, checkLocalComfy, checkToken, checkWrangler, findZone, observe } from './observe';
import { makePlan } from './plan';
import type { Ports } from './ports';
import type { Account, Answers, Generated, Observed } from './types';
import { showFirstPairing, verifyEndToEnd } from './verify';

export interface WizardEnv {
	/** A person can answer prompts (stdin is a terminal and --yes was not given). */
	interactive: boolean;
	/** SETUP_REMOTE_API_TOKEN, if set. */
	apiToken?: string;
	/** ADMIN_SECRET from the environment, if set: used instead of the saved one. */
	adminSecret?: string;
	/** Sets the token the real ports send to the Cloudflare API. */
	useToken(token: string): void;
	/** Tells the real ports which account wrangler works on (CLOUDFLARE_ACCOUNT_ID). */
	useAccount(accountId: string): void;
}

export function generateSecrets(): Generated {
	return { adminSecret: randomBytes(32).toString('base64url'), tunnelSecret: randomBytes(32).toString('base64') };
}

function printFailure(ports: Ports, v: Verdict): void {
	ports.log(`\n✗ ${v.message}`);
	if (v.fix) ports.log(`  Fix: ${v.fix}`);
}

/** What --offline assumes: a new account with nothing made yet. */
function freshState(ports: Ports, answers: Answers): Observed {
	const zoneName = answers.hostname.split('.').slice(-2).join('.');
	return {
		...ports.system,
		zone: { id: '${zone.id}', name: zoneName },
		tunnel: null,
		credentialsFile: false,
		configFile: null,
		dnsRecords: [],
		serviceToken: null,
		policy: null,
		app: null,
		relaySecrets: [],
		savedAdminSecret: null,
		deployed: null,
		relayAnswers: false,
		now: ports.system.now()
	};
}

export async function runWizard(ports: Ports, flags: Flags, env: WizardEnv, generated: Generated = generateSecrets()): Promise<number> {
	if (flags.help) {
		ports.log(USAGE);
		return 0;
	}
	if (flags.offline && !flags.dryRun) {
		ports.log('--offline only works with --dry-run (a real run must look at what exists).');
		return 2;
	}
	if (flags.service !== 'install' && flags.service !== 'skip') {
		ports.log('--service must be "install" or "skip".');
		return 2;
	}
	try {
		ports.log(flags.dryRun ? 'Dry run: nothing will be changed.\n' : '');
		const accounts: Account[] = flags.offline ? [] : await checkWrangler(ports, env.interactive && !flags.dryRun);
		const answers = await collectAnswers(flags, ports, accounts, env.interactive);
		const problems = validateAnswers(answers);
		if (problems.length > 0) {
			for (const p of problems) ports.log(`✗ ${p}`);
			return 2;
		}
		env.useAccount(answers.accountId);
		let observed: Observed;
		if (flags.offline) {
			ports.log('--offline: not looking at Cloudflare, wrangler, cloudflared or ComfyUI; planning as for a new account.');
			observed = freshState(ports, answers);
		} else {
			for (const v of [await checkCloudflared(ports), await checkLocalComfy(ports, answers.comfyPort)]) {
				if (v.ok) ports.log(`  ✓ ${v.message.trim()}`);
				else if (flags.dryRun) ports.log(`  ✗ ${v.message} Fix: ${v.fix}`);
				else throw new CheckFailed(v);
			}
			let token = flags.apiToken ?? env.apiToken;
			if (!token) {
				ports.log(`\nThe wizard needs a Cloudflare API token. Create one at ${TOKEN_PAGE} → Create Token → Custom token, with:`);
				for (const p of REQUIRED_PERMISSIONS) ports.log(`   - ${p}`);
				token = env.interactive ? (await ports.ask('Paste the API token (it is not shown or stored)', '', { secret: true })).trim() : '';
				if (!token) throw new CheckFailed({ ok: false, message: 'No API token.', fix: 'Set SETUP_REMOTE_API_TOKEN (or pass --api-token) with a token that has the permissions above.' });
			}
			env.useToken(token);
			ports.log(`  Using API token ${mask(token)}.`);
			await checkToken(ports, answers.accountId);
			checkAccount(answers.accountId, accounts);
			const zone = await findZone(ports, answers.hostname, answers.accountId);
			ports.log(`  ✓ ${answers.hostname} is in zone ${zone.name}.`);
			observed = await observe(ports, answers, zone);
		}
		if (env.adminSecret) observed = { ...observed, savedAdminSecret: env.adminSecret };
		const plan = makePlan(observed, answers, generated);
		for (const line of plan.kept) ports.log(`  ✓ ${line}`);
		if (plan.problems.length > 0) {
			for (const p of plan.problems) ports.log(`\n✗ ${p}`);
			return 1;
		}
		if (plan.steps.length === 0) ports.log('\nEverything is in place: no changes needed.');
		else {
			ports.log(`\nPlan (${plan.steps.length} step${plan.steps.length === 1 ? '' : 's'}):`);
			for (const line of describePlan(plan.steps, plan.context)) ports.log(line);
		}
		if (flags.dryRun) {
			ports.log('\nThen: check that Access stops strangers at https://' + answers.hostname + ', that the relay reaches ComfyUI (upstream live), and print the pairing QR code.');
			ports.log('Dry run: nothing was changed.');
			return 0;
		}
		if (plan.steps.length > 0 && env.interactive && !flags.yes) {
			const go = (await ports.ask('Go ahead? [Y/n]', 'y')).trim().toLowerCase();
			if (go !== 'y' && go !== 'yes') {
				ports.log('Nothing was changed.');
				return 1;
			}
		}
		await applyPlan(ports, plan.steps, plan.context);
		const verdicts = await verifyEndToEnd(ports, plan.context, answers.hostname, answers.comfyPort);
		const failed = verdicts.find((v) => !v.ok);
		if (failed) {
			printFailure(ports, failed);
			return 1;
		}
		await showFirstPairing(ports, plan.context);
		ports.log(`Pair more phones later: ADMIN_SECRET="$(cat ~/.config/comfy-pocket/admin-secret)" npm run pair -- --relay ${plan.context.relayUrl}`);
		return 0;
	} catch (error) {
		if (error instanceof CheckFailed) {
			printFailure(ports, error.verdict);
			return 1;
		}
		throw error;
	}
}
