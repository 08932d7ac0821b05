// The end-to-end check after set-up: Access stops strangers, the service token gets through, and the deployed
// relay reaches ComfyUI through Access (a throw-away paired device opens the phone socket and waits for the
// relay's upstream to be `live`, the state `/relay/info` reports). Then the pairing QR code for the first phone.
import { pairingLinkFor } from '../relay-admin.mjs';
import type { Verdict } from './diagnose';
import { isLoginPage, judgePublicComfy } from './diagnose';
import { CheckFailed } from './observe';
import type { HttpAnswer, Ports } from './ports';
import type { Context } from './types';

export interface UpstreamSeen {
	status: string;
	error?: string;
}

/** What the relay's upstream state says about the path relay → Access → tunnel → ComfyUI. */
export function judgeRelayUpstream(state: UpstreamSeen | null, hostname: string): Verdict {
	if (state?.status === 'live') return { ok: true, message: `The deployed relay reaches ComfyUI at https://${hostname} through Access: upstream live.` };
	if (state?.status === 'unauthorized') {
		const login = /login page|Service Auth/i.test(state.error ?? '');
		return {
			ok: false,
			message: `The relay is refused by Access: ${state.error ?? 'unauthorized'}`,
			fix: login
				? 'The Access application answers with a login page: its policy must have the Service Auth action with the relay\'s service token. Run the wizard again (it attaches one), or fix it under Zero Trust → Access → Applications.'
				: 'The relay\'s service token is wrong or expired: run the wizard again (it rotates the secret and sets it on the relay).'
		};
	}
	if (state === null) {
		return {
			ok: false,
			message: 'The relay did not report its upstream within 30 s.',
			fix: 'Check `npx wrangler tail` for errors while running the wizard again.'
		};
	}
	return {
		ok: false,
		message: `The relay cannot reach ComfyUI (${state.status}${state.error ? `: ${state.error}` : ''}).`,
		fix: 'The tunnel or ComfyUI is down: start ComfyUI and the tunnel (`sudo systemctl status cloudflared` on Linux), then run again.'
	};
}

/**
 * A new DNS record, tunnel connection, Access application or policy takes some seconds to be served everywhere, so
 * an answer that may only mean "not yet" (no route, 530, no Access yet, a login page for the token) is retried for
 * about a minute before it counts.
 */
export const PROBE_TRIES = 12;
export const PROBE_WAIT_MS = 5000;

async function publicProbe(ports: Ports, hostname: string, headers: Record<string, string>): Promise<Awaited<ReturnType<Ports['http']>> | Error> {
	const withToken = Object.keys(headers).length > 0;
	let answer: Awaited<ReturnType<Ports['http']>> | Error = new Error('not tried');
	for (let attempt = 1; attempt <= PROBE_TRIES; attempt += 1) {
		answer = await ports.http(`https://${hostname}/api/system_stats`, { headers, timeoutMs: 10_000 }).catch((e: unknown) => (e instanceof Error ? e : new Error(String(e))));
		const settling = answer instanceof Error || answer.status === 530 || (withToken ? isLoginPage(answer) : answer.status === 200);
		if (!settling || attempt === PROBE_TRIES) break;
		if (attempt === 1) ports.log(`  (waiting for ${hostname} to come up: new DNS records and tunnel connections take a few seconds)`);
		await ports.sleep(PROBE_WAIT_MS);
	}
	return answer;
}

function relayJson<T>(answer: HttpAnswer, what: string): T {
	if (answer.status === 200) {
		try {
			return JSON.parse(answer.body) as T;
		} catch {
			// reported below
		}
	}
	const wait = answer.status === 429 ? ' Too many failed attempts from this address: wait a minute.' : '';
	throw new CheckFailed({ ok: false, message: `The relay did not let the wizard ${what} (HTTP ${answer.status}).${wait}`, fix: 'Run the wizard again in a minute; if it repeats, look at `npx wrangler tail` while it runs.' });
}

/** Each check's verdict, in order; stops at the first that fails. */
export async function verifyEndToEnd(ports: Ports, ctx: Context, hostname: string, comfyPort: number): Promise<Verdict[]> {
	const verdicts: Verdict[] = [];
	const record = (v: Verdict) => {
		verdicts.push(v);
		ports.log(`  ${v.ok ? '✓' : '✗'} ${v.message}`);
		return v.ok;
	};
	ports.log(`\n• Checking that Access stops strangers at https://${hostname}…`);
	if (!record(judgePublicComfy(await publicProbe(ports, hostname, {}), false, hostname, comfyPort))) return verdicts;
	const clientId = ctx['access.clientId'];
	const clientSecret = ctx['secret.accessClientSecret'];
	if (clientId && clientSecret) {
		ports.log('• Checking that the service token gets through Access to ComfyUI…');
		const headers = { 'CF-Access-Client-Id': clientId, 'CF-Access-Client-Secret': clientSecret };
		if (!record(judgePublicComfy(await publicProbe(ports, hostname, headers), true, hostname, comfyPort))) return verdicts;
	}
	const relay = ctx.relayUrl;
	const secret = ctx['secret.adminSecret'];
	ports.log(`• Checking that the relay at ${relay} reaches ComfyUI (a temporary device opens the phone socket)…`);
	const info = await ports.http(`${relay}/relay/info`, { timeoutMs: 10_000 }).catch(() => null);
	if (info?.status !== 401) {
		record({ ok: false, message: `No relay answers at ${relay} (${info ? `HTTP ${info.status}` : 'unreachable'}).`, fix: 'Pass the deployed address with --relay-url, or check the output of `npx wrangler deploy`.' });
		return verdicts;
	}
	const { code } = await ports.relayAdmin.createPairingCode(relay, secret);
	const paired = await ports.http(`${relay}/relay/pair`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code, name: 'setup-remote check' }) });
	const device = relayJson<{ deviceId: string; token: string }>(paired, 'pair a temporary device');
	try {
		const ticketAnswer = await ports.http(`${relay}/relay/ticket`, { method: 'POST', headers: { authorization: `Bearer ${device.token}` } });
		const { ticket } = relayJson<{ ticket: string }>(ticketAnswer, 'get a socket ticket');
		const ws = `${relay.replace(/^http/, 'ws')}/relay/ws?ticket=${encodeURIComponent(ticket)}`;
		const state = await ports.watchRelay(ws, (s) => s.status === 'live' || s.status === 'unauthorized', 30_000);
		record(judgeRelayUpstream(state, hostname));
	} finally {
		await ports.relayAdmin.revokeDevice(relay, secret, device.deviceId).catch(() => undefined);
	}
	return verdicts;
}

export async function showFirstPairing(ports: Ports, ctx: Context): Promise<void> {
	const { code, expiresAt } = await ports.relayAdmin.createPairingCode(ctx.relayUrl, ctx['secret.adminSecret']);
	await ports.relayAdmin.showPairing(pairingLinkFor(ctx.relayUrl, code), expiresAt);
}
