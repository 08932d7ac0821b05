// What each kind of LAN connection failure means for the user, and the exact fix (flag, URL, setting).
// Wording follows lan-notes §5–§7: name the case, then the command line or address that resolves it.

export type DiagnosisKind =
	| 'connected'
	| 'invalid-url'
	| 'mixed-content'
	| 'lna-denied'
	| 'cors'
	| 'unreachable'
	| 'refused'
	| 'not-comfyui'
	| 'http-error'
	| 'websocket';

export interface Fix {
	text: string;
	/** A command line or flag to copy. */
	command?: string;
	/** An address to open. */
	url?: string;
}

export interface Explanation {
	title: string;
	detail: string;
	fixes: Fix[];
}

export interface ExplainContext {
	pageOrigin: string;
	/** The base URL of the ComfyUI that was probed. */
	target: string;
	status?: number;
	error?: string;
}

function corsFlag(pageOrigin: string): string {
	return `--enable-cors-header ${pageOrigin}`;
}

function comfyCommand(pageOrigin: string): string {
	return `python main.py --listen 0.0.0.0 ${corsFlag(pageOrigin)}`;
}

const HTTP_APP_FIX: Fix = {
	text: 'Or open Comfy Pocket over plain http on your home network: run `HOST=0.0.0.0 npm start` on the ComfyUI machine and open http://<that machine>:8787 on the phone. LAN calls then work in every browser; offline mode and install need https.'
};

export function explain(kind: DiagnosisKind, ctx: ExplainContext): Explanation {
	const { pageOrigin, target } = ctx;
	switch (kind) {
		case 'connected':
			return { title: 'Connected', detail: `ComfyUI at ${target} answers this app.`, fixes: [] };
		case 'invalid-url':
			return { title: 'Not an address', detail: ctx.error ?? 'Enter the address of your ComfyUI.', fixes: [{ text: 'Use the form', command: 'http://192.168.1.20:8188' }] };
		case 'mixed-content':
			return {
				title: 'Blocked by the browser: https page, http server',
				detail: `This app is served over https (${pageOrigin}) and ComfyUI over plain http (${target}). Browsers block that ("mixed content"); on iPhone there is no way around it.`,
				fixes: [
					{ text: 'Give ComfyUI an https address with Tailscale (phone and PC in the same tailnet, MagicDNS + HTTPS on), then use the https://….ts.net address here:', command: 'tailscale serve --bg 8188' },
					{ text: 'Or let ComfyUI serve https itself with a certificate the phone trusts, and allow this app:', command: `python main.py --listen 0.0.0.0 --tls-keyfile key.pem --tls-certfile cert.pem ${corsFlag(pageOrigin)}` },
					{ text: 'Or reach it through the relay: pair this phone from the `npm start` pairing link.' },
					HTTP_APP_FIX
				]
			};
		case 'lna-denied':
			return {
				title: 'Local network access is blocked for this app',
				detail: 'Chrome asked whether this site may reach devices on your local network, and the answer was "block".',
				fixes: [{ text: `Open the site settings of ${pageOrigin} (the icon left of the address bar) → "Local network access" → Allow, then test again.` }]
			};
		case 'cors':
			return {
				title: 'ComfyUI refuses requests from this app (CORS)',
				detail: `The server at ${target} is reachable, but ComfyUI only answers other sites when started with --enable-cors-header; without it, it returns an empty 403 and the browser hides the answer.`,
				fixes: [
					{ text: 'Restart ComfyUI with this flag (exactly this origin):', command: corsFlag(pageOrigin) },
					{ text: 'For example:', command: comfyCommand(pageOrigin) },
					{ text: 'Portable Windows build: add the flags to the end of the python line in run_nvidia_gpu.bat.' }
				]
			};
		case 'unreachable':
			return {
				title: 'No answer from the server',
				detail: `Nothing answered at ${target} in time. The address may be wrong, the phone may be on another network (mobile data, guest Wi-Fi, VPN off), or a firewall drops the connection.`,
				fixes: [
					{ text: 'Check the address: on the ComfyUI machine, run `ipconfig` (Windows) or `ip addr` (Linux) and use its LAN address with port 8188.' },
					{ text: 'ComfyUI listens only on the machine itself unless started with:', command: comfyCommand(pageOrigin) },
					{ text: 'Allow incoming TCP port 8188 in the ComfyUI machine’s firewall, and connect the phone to the same Wi-Fi (not a guest network).' }
				]
			};
		case 'refused':
			return {
				title: 'Connection refused or failed at once',
				detail: `${target} rejected the connection straight away: ComfyUI is not running, the port is wrong, the name does not resolve${target.startsWith('https:') ? ', or the certificate is not trusted by this phone' : ''}.`,
				fixes: [
					{ text: 'Start ComfyUI (port 8188 unless you changed it) with:', command: comfyCommand(pageOrigin) },
					...(target.startsWith('https:') ? [{ text: 'Open the address in a new tab: a certificate or connection error shows there plainly. If ComfyUI loads, come back and test again.', url: `${target}/` }] : [])
				]
			};
		case 'not-comfyui':
			return {
				title: 'That address is not ComfyUI',
				detail: `${target} answered${ctx.status ? ` (HTTP ${ctx.status})` : ''}, but not like ComfyUI does. The port or path is probably wrong.`,
				fixes: [{ text: 'Use the address of ComfyUI itself, the one you open on the PC, without any path:', command: 'http://192.168.1.20:8188' }]
			};
		case 'http-error':
			return {
				title: `The server answered HTTP ${ctx.status ?? '?'}`,
				detail: `Something in front of ComfyUI (a proxy or an access gate) refused the request${ctx.error ? `: ${ctx.error}` : ''}.`,
				fixes: [{ text: 'Open the address in a new tab to see what answers; a login page or proxy error means the phone needs another route (Tailscale or the relay).', url: `${target}/` }]
			};
		case 'websocket':
			return {
				title: 'HTTP works but the live connection does not',
				detail: 'Requests reach ComfyUI, but its WebSocket (/ws), which carries progress and previews, fails.',
				fixes: [
					{ text: 'If ComfyUI sits behind a proxy, make it forward WebSocket upgrades on /ws.' },
					{ text: 'Make sure ComfyUI allows this app on /ws too:', command: corsFlag(pageOrigin) },
					{ text: 'Chrome before version 147 blocks ws:// from https pages even on the LAN: use an https address for ComfyUI (Tailscale serve) or the relay.' }
				]
			};
	}
}
