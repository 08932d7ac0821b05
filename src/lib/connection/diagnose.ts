// Finds out why a LAN ComfyUI can or cannot be used from this page, following lan-notes §7: a static
// mixed-content check, the Local Network Access permission, a CORS probe, a no-cors probe to tell CORS from
// unreachable, timing to tell a timeout from a refusal, and a WebSocket probe. Never throws.
import type { SystemStats } from '$lib/comfy/types';
import { socketUrl } from '$lib/comfy/socket';
import { LNA_FETCH_CHROMIUM, LNA_WEBSOCKET_CHROMIUM, type BrowserFacts } from './browser';
import { explain, type DiagnosisKind, type Explanation } from './explain';
import { isIpLiteral, isLocalAddress, isLoopback, parseServerUrl } from './target';

export interface ProbeStep {
	step: string;
	outcome: string;
	ms?: number;
}

export interface ServerSummary {
	version: string;
	gpu: string | null;
	vramTotal: number | null;
}

export interface Diagnosis extends Explanation {
	kind: DiagnosisKind;
	ok: boolean;
	baseUrl: string | null;
	server?: ServerSummary;
	steps: ProbeStep[];
}

export type LnaState = PermissionState | 'unsupported';

export interface ProbeEnv {
	browser: BrowserFacts;
	fetch: typeof fetch;
	/** null skips the WebSocket probe. */
	WebSocketImpl: typeof WebSocket | null;
	lnaPermission: () => Promise<LnaState>;
	timeoutMs?: number;
	now?: () => number;
}

const DEFAULT_TIMEOUT_MS = 6000;
// A rejection this much before the timeout cannot be a silent drop: something answered "no".
const FAST_FAILURE_SHARE = 0.8;

export function summarizeStats(body: unknown): ServerSummary | null {
	const stats = body as Partial<SystemStats> | null;
	const version = stats?.system?.comfyui_version;
	if (typeof version !== 'string') return null;
	const device = Array.isArray(stats?.devices) ? stats.devices[0] : undefined;
	return { version, gpu: device?.name ?? null, vramTotal: typeof device?.vram_total === 'number' ? device.vram_total : null };
}

/** Step 1: the verdict that needs no request at all. */
export function staticBlock(target: URL, browser: BrowserFacts): { blocked: boolean; reason: string } {
	const pageHttps = browser.pageOrigin.startsWith('https:');
	if (!pageHttps || target.protocol === 'https:' || isLoopback(target.hostname)) return { blocked: false, reason: 'no mixed content' };
	if (browser.chromium === null) return { blocked: true, reason: 'https page, http target, browser without Local Network Access' };
	if (browser.chromium < LNA_FETCH_CHROMIUM) return { blocked: true, reason: `https page, http target, Chromium ${browser.chromium} < ${LNA_FETCH_CHROMIUM}` };
	const localLiteral = isLocalAddress(target.hostname) && (isIpLiteral(target.hostname) || target.hostname.endsWith('.local'));
	if (!localLiteral) return { blocked: true, reason: 'https page, http target named by a host that is not an IP literal or .local' };
	return { blocked: false, reason: `allowed by Local Network Access (Chromium ${browser.chromium})` };
}

function fail(kind: DiagnosisKind, env: ProbeEnv, baseUrl: string, steps: ProbeStep[], extra: { status?: number; error?: string } = {}): Diagnosis {
	return { kind, ok: false, baseUrl, steps, ...explain(kind, { pageOrigin: env.browser.pageOrigin, target: baseUrl, ...extra }) };
}

async function lnaState(env: ProbeEnv): Promise<LnaState> {
	try {
		return await env.lnaPermission();
	} catch {
		return 'unsupported';
	}
}

export async function diagnose(input: string, env: ProbeEnv): Promise<Diagnosis> {
	const now = env.now ?? (() => performance.now());
	const timeoutMs = env.timeoutMs ?? DEFAULT_TIMEOUT_MS;
	const steps: ProbeStep[] = [];
	const parsed = parseServerUrl(input);
	if (!parsed.ok) {
		return { kind: 'invalid-url', ok: false, baseUrl: null, steps, ...explain('invalid-url', { pageOrigin: env.browser.pageOrigin, target: input, error: parsed.error }) };
	}
	const { url, baseUrl } = parsed;

	const blocked = staticBlock(url, env.browser);
	steps.push({ step: 'mixed content', outcome: blocked.reason });
	if (blocked.blocked) return fail('mixed-content', env, baseUrl, steps);

	const local = isLocalAddress(url.hostname);
	if (local) {
		const lna = await lnaState(env);
		steps.push({ step: 'local network permission', outcome: lna });
		if (lna === 'denied') return fail('lna-denied', env, baseUrl, steps);
	}

	const statsUrl = `${baseUrl}/system_stats`;
	// `targetAddressSpace` tells Chromium before DNS that an http request from an https page is local, which is
	// what lets it past mixed content (lan-notes §2). Only then: Chromium fails the request when the address turns
	// out to be in another space (a loopback target is "loopback", not "local").
	const declareLocal = local && !isLoopback(url.hostname) && url.protocol === 'http:' && env.browser.pageOrigin.startsWith('https:');
	const init = { credentials: 'omit', ...(declareLocal ? { targetAddressSpace: 'local' } : {}) } as RequestInit;
	const started = now();
	try {
		const response = await env.fetch(statsUrl, { ...init, mode: 'cors', signal: AbortSignal.timeout(timeoutMs) });
		const ms = Math.round(now() - started);
		steps.push({ step: 'cors probe', outcome: `HTTP ${response.status}`, ms });
		if (!response.ok) {
			return fail(response.status === 404 ? 'not-comfyui' : 'http-error', env, baseUrl, steps, { status: response.status });
		}
		const server = summarizeStats(await response.json().catch(() => null));
		if (!server) return fail('not-comfyui', env, baseUrl, steps, { status: response.status });
		const ws = await probeSocket(baseUrl, env, timeoutMs, steps);
		if (!ws) return { ...fail('websocket', env, baseUrl, steps), server };
		return { kind: 'connected', ok: true, baseUrl, server, steps, ...explain('connected', { pageOrigin: env.browser.pageOrigin, target: baseUrl }) };
	} catch (error) {
		const ms = Math.round(now() - started);
		const name = error instanceof Error ? error.name : 'Error';
		steps.push({ step: 'cors probe', outcome: `${name}: ${error instanceof Error ? error.message : String(error)}`, ms });
		if (name === 'TimeoutError' || name === 'AbortError' || ms >= timeoutMs * FAST_FAILURE_SHARE) {
			return fail('unreachable', env, baseUrl, steps);
		}
	}

	const opaqueStarted = now();
	try {
		await env.fetch(statsUrl, { ...init, mode: 'no-cors', signal: AbortSignal.timeout(timeoutMs) });
		steps.push({ step: 'no-cors probe', outcome: 'answered (opaque)', ms: Math.round(now() - opaqueStarted) });
		return fail('cors', env, baseUrl, steps);
	} catch (error) {
		steps.push({ step: 'no-cors probe', outcome: error instanceof Error ? error.name : 'failed', ms: Math.round(now() - opaqueStarted) });
		return fail('refused', env, baseUrl, steps);
	}
}

/** Opens /ws once; true when the server accepts it (open event), false on error, close or timeout. */
function probeSocket(baseUrl: string, env: ProbeEnv, timeoutMs: number, steps: ProbeStep[]): Promise<boolean> {
	const WebSocketImpl = env.WebSocketImpl;
	if (!WebSocketImpl) return Promise.resolve(true);
	const pageHttps = env.browser.pageOrigin.startsWith('https:');
	const now = env.now ?? (() => performance.now());
	const started = now();
	return new Promise((resolve) => {
		let ws: WebSocket | null = null;
		let done = false;
		const finish = (ok: boolean, outcome: string) => {
			if (done) return;
			done = true;
			clearTimeout(timer);
			steps.push({ step: 'websocket probe', outcome, ms: Math.round(now() - started) });
			try {
				ws?.close();
			} catch {
				// Already closed.
			}
			resolve(ok);
		};
		const timer = setTimeout(() => finish(false, 'timeout'), timeoutMs);
		try {
			ws = new WebSocketImpl(socketUrl(baseUrl, `probe-${Math.random().toString(36).slice(2)}`));
		} catch (error) {
			const chromium = env.browser.chromium;
			const hint = pageHttps && (chromium === null || chromium < LNA_WEBSOCKET_CHROMIUM) ? ' (mixed content)' : '';
			finish(false, `constructor threw ${error instanceof Error ? error.name : 'error'}${hint}`);
			return;
		}
		ws.onopen = () => finish(true, 'open');
		ws.onerror = () => finish(false, 'error');
		ws.onclose = (event: CloseEvent) => finish(false, `closed ${event.code}`);
	});
}

/** A copyable text report of the probe for bug reports and forum posts. */
export function formatReport(diagnosis: Diagnosis, browser: BrowserFacts, userAgent: string): string {
	const lines = [
		`Comfy Pocket connection report`,
		`result: ${diagnosis.kind}`,
		`target: ${diagnosis.baseUrl ?? '(none)'}`,
		`page: ${browser.pageOrigin} (secure context: ${browser.secureContext})`,
		`browser: ${userAgent}`,
		...diagnosis.steps.map((s) => `- ${s.step}: ${s.outcome}${s.ms === undefined ? '' : ` (${s.ms} ms)`}`)
	];
	if (diagnosis.server) lines.push(`server: ComfyUI ${diagnosis.server.version}, ${diagnosis.server.gpu ?? 'no GPU reported'}`);
	return lines.join('\n');
}
