// Carrying out a plan through the ports, step by step, saying what each does first; or, for --dry-run, printing
// every API call, command and file it would make with each secret masked.
import { API_BASE, CloudflareError, readEnvelope } from './cloudflare-api';
import { secretFromTunnelToken } from './cloudflared-files';
import { display, resolve, scrub } from './context';
import { explainApiError } from './diagnose';
import { CheckFailed } from './observe';
import type { Ports } from './ports';
import type { Action, Capture, Context, Step } from './types';

/** One line (or a few) per action, as --dry-run prints it. Secrets never appear in full. */
export function describeAction(action: Action, ctx: Context): string[] {
	switch (action.kind) {
		case 'api': {
			const r = display(action.request, ctx);
			const lines = [`API ${r.method} ${API_BASE}${r.path}   (needs: ${r.permission})`];
			if (r.body !== undefined) lines.push(`    body: ${JSON.stringify(r.body)}`);
			return lines;
		}
		case 'command': {
			const program = action.tool === 'wrangler' ? 'npx wrangler' : action.tool;
			const stdin = action.stdin === undefined ? '' : `   (value on stdin: ${display(action.stdin, ctx).trim()})`;
			return [`RUN ${program} ${display(action.args, ctx).join(' ')}${stdin}`];
		}
		case 'write-file':
			return [
				`WRITE ${display(action.path, ctx)} (mode ${action.mode.toString(8)}):`,
				...display(action.content, ctx)
					.trimEnd()
					.split('\n')
					.map((l) => `    | ${l}`)
			];
		case 'manual':
			return [`YOU: ${display(action.instructions, ctx)}`];
	}
}

export function describePlan(steps: Step[], ctx: Context): string[] {
	const out: string[] = [];
	steps.forEach((s, i) => {
		out.push(`${i + 1}. ${s.title}`);
		for (const action of s.actions) out.push(...describeAction(action, ctx).map((l) => `   ${l}`));
	});
	return out;
}

function pick(value: unknown, path: string): unknown {
	if (path === '') return value;
	return path.split('.').reduce<unknown>((v, k) => (v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), value);
}

/** Stores what a step learnt; a value that is not there means the API answered differently from its documentation. */
export function capture(captures: Capture[] | undefined, result: unknown, stdout: string, ctx: Context): void {
	for (const c of captures ?? []) {
		let value: unknown;
		if (c.from.startsWith('stdout:')) value = new RegExp(c.from.slice('stdout:'.length)).exec(stdout)?.[0];
		else value = pick(result, c.from);
		if (c.transform === 'tunnel-token-secret') value = typeof value === 'string' ? secretFromTunnelToken(value) : null;
		if (typeof value !== 'string' || value === '') {
			throw new CheckFailed({
				ok: false,
				message: `Could not read ${c.key} from the answer (${c.from || 'result'}).`,
				fix: c.key === 'relayUrl' ? 'Pass the relay\'s address with --relay-url https://… (the workers.dev or custom domain wrangler deployed to).' : 'Run again; if it repeats, please report it with the output above.'
			});
		}
		ctx[c.key] = value;
	}
}

async function runAction(ports: Ports, action: Action, ctx: Context): Promise<void> {
	if (action.kind === 'manual') {
		ports.log(`   → ${display(action.instructions, ctx)}`);
		await ports.ask('   Press Enter when done', '');
		return;
	}
	if (action.kind === 'write-file') {
		await ports.writeFile(resolve(action.path, ctx), resolve(action.content, ctx), action.mode);
		return;
	}
	if (action.kind === 'api') {
		const request = resolve(action.request, ctx);
		const { status, body } = await ports.cloudflare(request);
		try {
			capture(action.capture, readEnvelope(request, status, body), '', ctx);
		} catch (error) {
			if (error instanceof CloudflareError) throw new CheckFailed(explainApiError(error));
			throw error;
		}
		return;
	}
	const args = resolve(action.args, ctx);
	const stdin = action.stdin === undefined ? undefined : resolve(action.stdin, ctx);
	const interactive = action.tool === 'sudo';
	const res =
		action.tool === 'wrangler'
			? await ports.wrangler(args, { stdin })
			: action.tool === 'cloudflared'
				? ((await ports.cloudflared(args, { stdin })) ?? { code: 127, stdout: '', stderr: 'cloudflared is not installed' })
				: await ports.run(action.tool, args, { stdin, interactive });
	if (res.code !== 0) {
		throw new CheckFailed({
			ok: false,
			message: `\`${describeAction(action, ctx)[0].slice(4)}\` failed (exit ${res.code}): ${scrub(`${res.stderr}\n${res.stdout}`, ctx).trim().slice(-800)}`,
			fix: action.fix ?? 'Fix what the output above says, then run the wizard again: it skips what is already done.'
		});
	}
	capture(action.capture, null, res.stdout, ctx);
}

export async function applyPlan(ports: Ports, steps: Step[], ctx: Context): Promise<void> {
	for (const [i, s] of steps.entries()) {
		ports.log(`\n${i + 1}/${steps.length} ${s.title}`);
		for (const action of s.actions) {
			for (const line of describeAction(action, ctx)) ports.log(`   ${line}`);
			await runAction(ports, action, ctx);
		}
	}
}
