// Every failure the wizard can recognise, turned into what happened and the exact fix. Pure functions over API
// errors and HTTP answers, so each case is tested with the shapes Cloudflare documents.
import { CloudflareError, REQUIRED_PERMISSIONS } from './cloudflare-api';
import type { HttpAnswer } from './ports';

export const TOKEN_PAGE = 'https://dash.cloudflare.com/profile/api-tokens';

export interface Verdict {
	ok: boolean;
	/** What the wizard saw, in plain words. */
	message: string;
	/** The exact fix, when not ok. */
	fix?: string;
}

const tokenFix = `create an API token at ${TOKEN_PAGE} (Create Token → Custom token) with: ${REQUIRED_PERMISSIONS.join('; ')} — then run again and paste it`;

/** The fix for a failed Cloudflare API call. */
export function explainApiError(error: CloudflareError): Verdict {
	const call = `${error.request.method} ${error.request.path.split('?')[0]}`;
	if (error.has(9109) || error.has(1000) || error.has(6003) || error.has(9106) || error.has(6111) || error.status === 401) {
		return { ok: false, message: `Cloudflare did not accept the API token (${codes(error)}).`, fix: `Check that you pasted the whole token, or ${tokenFix}.` };
	}
	if (error.has(10000) || error.status === 403) {
		return {
			ok: false,
			message: `The API token may not ${call} (${codes(error)}).`,
			fix: `Edit the token at ${TOKEN_PAGE} and add the permission "${error.request.permission}" (for the account or zone you chose), then run again.`
		};
	}
	if (error.has(7003) || error.has(7000)) {
		return {
			ok: false,
			message: `Cloudflare has no such address: ${call} (${codes(error)}).`,
			fix: 'The account id is probably wrong: copy it from the dashboard (Workers & Pages → Account details → Account ID) and pass it with --account-id.'
		};
	}
	return { ok: false, message: `Cloudflare refused ${call} (HTTP ${error.status}, ${codes(error)}).`, fix: 'Read the message above; running again is safe (the wizard only adds what is missing).' };
}

function codes(error: CloudflareError): string {
	return error.errors.map((e) => `${e.code}: ${e.message}`).join('; ') || `HTTP ${error.status}`;
}

/** No zone of the account holds the hostname: `otherAccount` tells whether another account the token sees has it. */
export function explainMissingZone(hostname: string, accountId: string, otherAccount: string | null): Verdict {
	if (otherAccount) {
		return {
			ok: false,
			message: `${hostname} is in a zone of another Cloudflare account (${otherAccount}), not of ${accountId}.`,
			fix: `Run again with --account-id ${otherAccount}, and make sure \`npx wrangler whoami\` lists that account (else \`npx wrangler logout && npx wrangler login\` as its owner).`
		};
	}
	return {
		ok: false,
		message: `No zone of account ${accountId} holds ${hostname}.`,
		fix: 'Use a hostname under a domain you have added to this Cloudflare account (dashboard → Add a domain), e.g. comfy.<your domain>; or, if the domain is there, give the token "Zone › Zone › Read" for it.'
	};
}

/** The account the wizard will use must be one wrangler (which deploys the relay) is logged in to. */
export function explainAccount(accountId: string, wranglerAccounts: { id: string; name: string }[]): Verdict {
	if (wranglerAccounts.some((a) => a.id === accountId)) return { ok: true, message: `wrangler is logged in to account ${accountId}.` };
	const list = wranglerAccounts.map((a) => `${a.name} (${a.id})`).join(', ') || 'none';
	return {
		ok: false,
		message: `wrangler is logged in to other accounts (${list}), not to ${accountId}: the relay would be deployed elsewhere.`,
		fix: `Run \`npx wrangler logout && npx wrangler login\` and log in as the owner of account ${accountId}, or pass --account-id with one of: ${list}.`
	};
}

export function isLoginPage(answer: HttpAnswer): boolean {
	const location = answer.headers['location'] ?? '';
	if (answer.status >= 300 && answer.status < 400 && /cloudflareaccess\.com/i.test(location)) return true;
	return answer.status === 200 && /text\/html/i.test(answer.headers['content-type'] ?? '') && /cloudflareaccess\.com|cf-access|Cloudflare Access/i.test(answer.body);
}

function isComfyStats(answer: HttpAnswer): boolean {
	return answer.status === 200 && /"system"\s*:/.test(answer.body);
}

/** GET http://127.0.0.1:<port>/api/system_stats on this machine. */
export function judgeLocalComfy(answer: HttpAnswer | Error, port: number): Verdict {
	if (!(answer instanceof Error) && isComfyStats(answer)) return { ok: true, message: `ComfyUI answers on port ${port}.` };
	const seen = answer instanceof Error ? answer.message : `HTTP ${answer.status}, not ComfyUI's /api/system_stats`;
	return {
		ok: false,
		message: `ComfyUI does not answer on http://127.0.0.1:${port} (${seen}).`,
		fix: `Start ComfyUI on that port (\`python main.py --listen 127.0.0.1 --port ${port}\`), or pass the port it uses with --comfy-port.`
	};
}

/**
 * GET https://<hostname>/api/system_stats from this machine, through Cloudflare. Without the service token Access
 * must stop us; with it, ComfyUI must answer.
 */
export function judgePublicComfy(answer: HttpAnswer | Error, withToken: boolean, hostname: string, port: number): Verdict {
	if (answer instanceof Error) {
		return {
			ok: false,
			message: `https://${hostname} cannot be reached (${answer.message}).`,
			fix: 'A new DNS record can take a minute to appear: wait and run again. If it persists, check the record in the dashboard (DNS → Records) points to <tunnel id>.cfargotunnel.com and is proxied.'
		};
	}
	if (answer.status === 530 || /error code: 1033|Argo Tunnel error|Cloudflare Tunnel error/i.test(answer.body)) {
		return {
			ok: false,
			message: `The tunnel is down: Cloudflare has no running cloudflared for ${hostname} (HTTP ${answer.status}).`,
			fix: 'Start the tunnel (Linux service: `sudo systemctl start cloudflared`; or `cloudflared tunnel --config ~/.cloudflared/<tunnel name>.yml run`), then run again.'
		};
	}
	if (answer.status === 502 || answer.status === 504) {
		return {
			ok: false,
			message: `The tunnel runs but cannot reach ComfyUI behind it (HTTP ${answer.status}).`,
			fix: `Start ComfyUI on port ${port} of the machine that runs cloudflared (\`python main.py --listen 127.0.0.1 --port ${port}\`).`
		};
	}
	if (!withToken) {
		if (isLoginPage(answer) || answer.status === 401 || answer.status === 403) return { ok: true, message: `Cloudflare Access guards ${hostname}: a stranger gets no ComfyUI.` };
		return {
			ok: false,
			message: `${hostname} answers without any credential (HTTP ${answer.status}): Access does not protect it, so anyone could use your ComfyUI.`,
			fix: 'Run the wizard again (it creates the Access application), or check Zero Trust → Access → Applications for this hostname.'
		};
	}
	if (isLoginPage(answer)) {
		return {
			ok: false,
			message: 'With the service token, Access still answers with its login page: the application\'s policy is "Allow" (for people), not "Service Auth".',
			fix: 'In Zero Trust → Access → Applications → this app → Policies, use a policy with the action Service Auth that includes the relay\'s service token (running the wizard again attaches one).'
		};
	}
	if (answer.status === 401 || answer.status === 403) {
		return {
			ok: false,
			message: `Access refused the service token (HTTP ${answer.status}): it is wrong, expired, or not in the application's Service Auth policy.`,
			fix: 'Run the wizard again: it gives the token a new secret and sets it on the relay.'
		};
	}
	if (isComfyStats(answer)) return { ok: true, message: `ComfyUI answers at https://${hostname} with the service token.` };
	return { ok: false, message: `https://${hostname}/api/system_stats answered HTTP ${answer.status}, not ComfyUI.`, fix: `Check that the ingress sends ${hostname} to ComfyUI's port (${port}).` };
}
