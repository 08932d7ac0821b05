// The rigs one relay fronts, read from its configuration (pure): the default rig is COMFY_URL with its secrets as
// before; the optional RIGS var maps more rig names to upstream URLs, and each such rig's secrets are named after it
// (COMFY_ACCESS_CLIENT_ID_<RIG>, COMFY_ACCESS_CLIENT_SECRET_<RIG>, COMFY_BEARER_<RIG>). Upstreams come from here
// only, never from a request. A broken configuration is one clear message and no rig at all.
import { DEFAULT_RIG, RIG_NAME } from '../../src/lib/relay/protocol';

/** One rig's upstream and credentials, as configured. */
export interface Rig {
	name: string;
	/** The upstream URL as configured (checked by upstreamUrlProblem). */
	url: string;
	isDefault: boolean;
	accessClientId?: string;
	accessClientSecret?: string;
	bearer?: string;
}

export type RigsConfig = { ok: true; rigs: Rig[] } | { ok: false; message: string };

/** What rigs.ts reads of the Worker's bindings: COMFY_URL, RIGS and the secrets named after each rig. */
export type RigBindings = { readonly COMFY_URL: string; readonly RIGS?: string };

/** The suffix of a rig's secret names: upper case, `-` as `_` (`attic-2` → `ATTIC_2`). */
export function rigSecretSuffix(name: string): string {
	return name.toUpperCase().replace(/-/g, '_');
}

/**
 * Why an upstream URL cannot be used, or null when it can: an http(s) URL, with no user or password in it (secrets
 * belong in secrets), and no query or fragment (the relay appends `/api/…` to it). The same rules for COMFY_URL and
 * for every rig. The message never repeats the URL: it may be shown to anyone.
 */
export function upstreamUrlProblem(raw: unknown): string | null {
	if (typeof raw !== 'string' || raw.trim() === '') return 'is not set';
	let url: URL;
	try {
		url = new URL(raw);
	} catch {
		return 'is not a URL';
	}
	if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'must start with http:// or https://';
	if (url.username || url.password) return 'must not carry a user name or password (use the Access secrets)';
	if (url.search || url.hash || raw.includes('?') || raw.includes('#')) return 'must not have a query or fragment';
	return null;
}

function secret(env: RigBindings, key: string): string | undefined {
	const value = (env as unknown as Record<string, unknown>)[key];
	return typeof value === 'string' && value !== '' ? value : undefined;
}

function rigOf(env: RigBindings, name: string, url: string, isDefault: boolean): Rig {
	const suffix = isDefault ? '' : `_${rigSecretSuffix(name)}`;
	const rig: Rig = { name, url, isDefault };
	const id = secret(env, `COMFY_ACCESS_CLIENT_ID${suffix}`);
	const clientSecret = secret(env, `COMFY_ACCESS_CLIENT_SECRET${suffix}`);
	const bearer = secret(env, `COMFY_BEARER${suffix}`);
	if (id && clientSecret) Object.assign(rig, { accessClientId: id, accessClientSecret: clientSecret });
	if (bearer) rig.bearer = bearer;
	return rig;
}

/** Compares upstreams as the relay reaches them: the same URL with or without a trailing slash is one upstream. */
function upstreamKey(url: string): string {
	return new URL(url.replace(/\/+$/, '')).href.replace(/\/+$/, '');
}

/** The default rig first, then RIGS in its own order; or why the configuration cannot be used. */
export function parseRigs(env: RigBindings): RigsConfig {
	const defaultProblem = upstreamUrlProblem(env.COMFY_URL);
	if (defaultProblem) return { ok: false, message: `COMFY_URL ${defaultProblem}.` };
	const rigs = [rigOf(env, DEFAULT_RIG, env.COMFY_URL, true)];
	if (env.RIGS === undefined || env.RIGS.trim() === '') return { ok: true, rigs };
	let parsed: unknown;
	try {
		parsed = JSON.parse(env.RIGS);
	} catch {
		// The parser's own message can quote the configuration: fixed words instead.
		return { ok: false, message: 'RIGS is not valid JSON: it must be an object of rig names to upstream URLs, e.g. {"attic": "https://attic.example.com"}.' };
	}
	if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
		return { ok: false, message: 'RIGS must be a JSON object of rig names to upstream URLs, e.g. {"attic": "https://attic.example.com"}.' };
	}
	const seen = new Map([[upstreamKey(env.COMFY_URL), DEFAULT_RIG]]);
	for (const [name, url] of Object.entries(parsed)) {
		if (!RIG_NAME.test(name)) return { ok: false, message: `RIGS: ${JSON.stringify(name.slice(0, 40))} is not a rig name (1 to 32 of a-z, 0-9 and -).` };
		if (name === DEFAULT_RIG) return { ok: false, message: `RIGS: "${DEFAULT_RIG}" is reserved for the COMFY_URL rig.` };
		const problem = upstreamUrlProblem(url);
		if (problem) return { ok: false, message: `RIGS: the URL of rig "${name}" ${problem}.` };
		const key = upstreamKey(url as string);
		const twin = seen.get(key);
		if (twin) return { ok: false, message: `RIGS: rig "${name}" has the same upstream as rig "${twin}"; each rig needs its own.` };
		seen.set(key, name);
		rigs.push(rigOf(env, name, url as string, false));
	}
	return { ok: true, rigs };
}

/** The rig of that name, null when the configuration has none (or is broken). */
export function findRig(env: RigBindings, name: string): Rig | null {
	const config = parseRigs(env);
	return config.ok ? (config.rigs.find((rig) => rig.name === name) ?? null) : null;
}
