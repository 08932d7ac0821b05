// What each kind of LAN connection failure means for the user, and the exact fix (flag, URL, setting).
// Wording follows lan-notes §5–§7: name the case, then the command line or address that resolves it.

import { m } from '$lib/i18n';

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

const httpAppFix = (): Fix => ({ text: m.diag_http_app_fix() });

export function explain(kind: DiagnosisKind, ctx: ExplainContext): Explanation {
	const { pageOrigin, target } = ctx;
	switch (kind) {
		case 'connected':
			return { title: m.diag_connected_title(), detail: m.diag_connected_detail({ target }), fixes: [] };
		case 'invalid-url':
			return { title: m.diag_invalid_title(), detail: ctx.error ?? m.diag_invalid_detail(), fixes: [{ text: m.diag_invalid_fix(), command: 'http://192.168.1.20:8188' }] };
		case 'mixed-content':
			return {
				title: m.diag_mixed_title(),
				detail: m.diag_mixed_detail({ pageOrigin, target }),
				fixes: [
					{ text: m.diag_mixed_fix_tailscale(), command: 'tailscale serve --bg 8188' },
					{ text: m.diag_mixed_fix_tls(), command: `python main.py --listen 0.0.0.0 --tls-keyfile key.pem --tls-certfile cert.pem ${corsFlag(pageOrigin)}` },
					{ text: m.diag_mixed_fix_relay() },
					httpAppFix()
				]
			};
		case 'lna-denied':
			return {
				title: m.diag_lna_title(),
				detail: m.diag_lna_detail(),
				fixes: [{ text: m.diag_lna_fix({ pageOrigin }) }]
			};
		case 'cors':
			return {
				title: m.diag_cors_title(),
				detail: m.diag_cors_detail({ target }),
				fixes: [
					{ text: m.diag_cors_fix_flag(), command: corsFlag(pageOrigin) },
					{ text: m.diag_cors_fix_example(), command: comfyCommand(pageOrigin) },
					{ text: m.diag_cors_fix_portable() }
				]
			};
		case 'unreachable':
			return {
				title: m.diag_unreachable_title(),
				detail: m.diag_unreachable_detail({ target }),
				fixes: [
					{ text: m.diag_unreachable_fix_address() },
					{ text: m.diag_unreachable_fix_listen(), command: comfyCommand(pageOrigin) },
					{ text: m.diag_unreachable_fix_firewall() }
				]
			};
		case 'refused':
			return {
				title: m.diag_refused_title(),
				detail: target.startsWith('https:') ? m.diag_refused_detail_https({ target }) : m.diag_refused_detail({ target }),
				fixes: [
					{ text: m.diag_refused_fix_start(), command: comfyCommand(pageOrigin) },
					...(target.startsWith('https:') ? [{ text: m.diag_refused_fix_tab(), url: `${target}/` }] : [])
				]
			};
		case 'not-comfyui':
			return {
				title: m.diag_not_comfy_title(),
				detail: ctx.status ? m.diag_not_comfy_detail_status({ target, status: ctx.status }) : m.diag_not_comfy_detail({ target }),
				fixes: [{ text: m.diag_not_comfy_fix(), command: 'http://192.168.1.20:8188' }]
			};
		case 'http-error':
			return {
				title: m.diag_http_title({ status: ctx.status ?? '?' }),
				detail: ctx.error ? m.diag_http_detail_error({ error: ctx.error }) : m.diag_http_detail(),
				fixes: [{ text: m.diag_http_fix(), url: `${target}/` }]
			};
		case 'websocket':
			return {
				title: m.diag_ws_title(),
				detail: m.diag_ws_detail(),
				fixes: [
					{ text: m.diag_ws_fix_proxy() },
					{ text: m.diag_ws_fix_flag(), command: corsFlag(pageOrigin) },
					{ text: m.diag_ws_fix_chrome() }
				]
			};
	}
}
