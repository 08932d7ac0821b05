// Typed client of the ComfyUI HTTP API (0.3.64, `/api/...` routes; the newer job API in jobs-api.ts). Every method
// throws only ComfyError.
// For the relay the same class is pointed at the relay's base URL with a bearer header.
import { ComfyError } from './errors';
import { randomId } from './ids';
import { JobApi } from './jobs-api';
import { describeUrl, exchange, ignoreBody, readJson, type RequestConfig } from './request';
import type {
	ApiPrompt,
	ExtraData,
	History,
	HistoryEntry,
	NodeDef,
	ObjectInfo,
	OutputFile,
	QueuePromptResponse,
	QueueState,
	ServerFeatures,
	SystemStats,
	UploadedAsset,
	UploadResult,
	UserDataFile
} from './types';

export interface ComfyApiOptions {
	/** Server root, e.g. `http://192.168.1.20:8188`; `/api/...` is appended. */
	baseUrl: string;
	fetch?: typeof fetch;
	headers?: Record<string, string>;
	timeoutMs?: number;
}

export interface QueuePromptInput {
	prompt: ApiPrompt;
	clientId: string;
	/** Chosen by us so events can be matched before the response arrives; generated when omitted. */
	promptId?: string;
	extraData?: ExtraData;
	front?: boolean;
	partialExecutionTargets?: string[];
	signal?: AbortSignal;
}

export interface ViewOptions {
	/** Re-encode on the server, e.g. `webp;80` for thumbnails. */
	preview?: 'webp;80' | string;
	channel?: 'rgba' | 'rgb' | 'a';
}

export interface UploadOptions {
	subfolder?: string;
	type?: 'input' | 'temp' | 'output';
	overwrite?: boolean;
	signal?: AbortSignal;
}

const DEFAULT_TIMEOUT_MS = 30_000;
// Photos, videos and /object_info are megabytes; over a relay on a phone network they need more than a JSON call.
const TRANSFER_TIMEOUT_FACTOR = 4;
const WORKFLOWS_DIR = 'workflows';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStrList = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');

export class ComfyApi {
	readonly baseUrl: string;
	/** The job API of newer servers; `jobs.available()` says whether this server has it. */
	readonly jobs: JobApi;
	readonly #config: RequestConfig;
	#objectInfo: ObjectInfo | null = null;
	#objectInfoLoading: Promise<ObjectInfo> | null = null;

	constructor(opts: ComfyApiOptions) {
		this.baseUrl = opts.baseUrl.replace(/\/+$/, '');
		this.#config = {
			fetch: opts.fetch ?? ((input, init) => globalThis.fetch(input, init)),
			headers: { ...opts.headers },
			timeoutMs: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS
		};
		this.jobs = new JobApi(this.#config, (path, query) => this.url(path, query));
	}

	url(path: string, query?: Record<string, string | undefined>): string {
		const params = new URLSearchParams();
		for (const [key, value] of Object.entries(query ?? {})) if (value !== undefined) params.set(key, value);
		const qs = params.toString();
		return `${this.baseUrl}/api${path}${qs ? `?${qs}` : ''}`;
	}

	async queuePrompt(input: QueuePromptInput): Promise<QueuePromptResponse> {
		const promptId = input.promptId ?? randomId();
		const body: Obj = { prompt: input.prompt, client_id: input.clientId, prompt_id: promptId };
		if (input.extraData) body.extra_data = input.extraData;
		if (input.front) body.front = true;
		if (input.partialExecutionTargets) body.partial_execution_targets = input.partialExecutionTargets;
		const url = this.url('/prompt');
		const res = await this.#json(url, { method: 'POST', json: body, signal: input.signal });
		if (!isObj(res) || typeof res.prompt_id !== 'string') throw badResponse(url, 'no prompt_id in the answer');
		if (res.prompt_id !== promptId) {
			throw badResponse(url, `the server queued "${res.prompt_id}" instead of "${promptId}" (too old to accept prompt ids?)`);
		}
		return {
			prompt_id: res.prompt_id,
			number: typeof res.number === 'number' ? res.number : 0,
			node_errors: isObj(res.node_errors) ? (res.node_errors as QueuePromptResponse['node_errors']) : {}
		};
	}

	async getQueue(): Promise<QueueState> {
		const url = this.url('/queue');
		const res = await this.#json(url);
		if (!isObj(res) || !Array.isArray(res.queue_running) || !Array.isArray(res.queue_pending)) {
			throw badResponse(url, 'expected queue_running and queue_pending');
		}
		return res as unknown as QueueState;
	}

	/** Removes pending prompts; a running prompt is not affected (use `interrupt`). */
	async deleteQueued(ids: string[]): Promise<void> {
		await exchange(this.#config, { method: 'POST', url: this.url('/queue'), json: { delete: ids } }, ignoreBody);
	}

	async clearQueue(): Promise<void> {
		await exchange(this.#config, { method: 'POST', url: this.url('/queue'), json: { clear: true } }, ignoreBody);
	}

	/** The finished prompt's entry, or null while it is unknown, queued or running. */
	async getHistory(promptId: string, signal?: AbortSignal): Promise<HistoryEntry | null> {
		const url = this.url(`/history/${encodeURIComponent(promptId)}`);
		const res = await this.#json(url, { signal });
		if (!isObj(res)) throw badResponse(url, 'expected an object');
		const entry = res[promptId];
		if (entry === undefined) return null;
		if (!isHistoryEntry(entry)) throw badResponse(url, 'malformed history entry');
		return entry;
	}

	/** The newest `max` history entries, oldest first. */
	async getRecentHistory(max: number): Promise<History> {
		const url = this.url('/history', { max_items: String(Math.max(1, Math.floor(max))) });
		const res = await this.#json(url);
		if (!isObj(res)) throw badResponse(url, 'expected an object');
		const history: History = {};
		for (const [id, entry] of Object.entries(res)) if (isHistoryEntry(entry)) history[id] = entry;
		return history;
	}

	viewUrl(file: OutputFile, opts: ViewOptions = {}): string {
		return this.url('/view', {
			filename: file.filename,
			subfolder: file.subfolder || undefined,
			type: file.type || 'output',
			preview: opts.preview,
			channel: opts.channel
		});
	}

	/** Downloads an output; `timeoutMs` covers the whole transfer (default: four times the API timeout). */
	async fetchView(file: OutputFile, opts: ViewOptions & { signal?: AbortSignal; timeoutMs?: number } = {}): Promise<Blob> {
		const timeoutMs = opts.timeoutMs ?? this.#config.timeoutMs * TRANSFER_TIMEOUT_FACTOR;
		return exchange(this.#config, { url: this.viewUrl(file, opts), signal: opts.signal, timeoutMs }, (response) => response.blob());
	}

	/** Uploads an input image. Always use the returned name: the server may reuse or rename the file. */
	async uploadImage(blob: Blob, filename: string, opts: UploadOptions = {}): Promise<UploadResult> {
		const form = new FormData();
		form.append('image', blob, filename);
		form.append('type', opts.type ?? 'input');
		if (opts.subfolder) form.append('subfolder', opts.subfolder);
		if (opts.overwrite) form.append('overwrite', 'true');
		const url = this.url('/upload/image');
		const res = await this.#json(url, {
			method: 'POST',
			body: form,
			signal: opts.signal,
			timeoutMs: this.#config.timeoutMs * TRANSFER_TIMEOUT_FACTOR
		});
		if (!isObj(res) || typeof res.name !== 'string') throw badResponse(url, 'no file name in the answer');
		const result: UploadResult = { name: res.name, subfolder: typeof res.subfolder === 'string' ? res.subfolder : '', type: String(res.type ?? 'input') };
		const asset = uploadedAsset(res.asset);
		if (asset) result.asset = asset;
		return result;
	}

	/** With a prompt id only that prompt is interrupted, and only if it is running; without, whatever runs. */
	async interrupt(promptId?: string): Promise<void> {
		const json = promptId === undefined ? {} : { prompt_id: promptId };
		await exchange(this.#config, { method: 'POST', url: this.url('/interrupt'), json }, ignoreBody);
	}

	/** All node definitions; fetched once (it can be megabytes) and kept until `refresh`. */
	async getObjectInfo(opts: { refresh?: boolean } = {}): Promise<ObjectInfo> {
		if (this.#objectInfo && !opts.refresh) return this.#objectInfo;
		if (this.#objectInfoLoading && !opts.refresh) return this.#objectInfoLoading;
		const loading = this.#loadObjectInfo();
		this.#objectInfoLoading = loading;
		try {
			const info = await loading;
			if (this.#objectInfoLoading === loading) this.#objectInfo = info;
			return info;
		} finally {
			if (this.#objectInfoLoading === loading) this.#objectInfoLoading = null;
		}
	}

	/** Re-reads one class (e.g. after an upload changed its combo list) and merges it into the cache. */
	async refreshNodeClass(name: string): Promise<NodeDef | null> {
		const url = this.url(`/object_info/${encodeURIComponent(name)}`);
		const res = await this.#json(url);
		if (!isObj(res)) throw badResponse(url, 'expected an object');
		const def = res[name];
		if (def !== undefined && !isNodeDef(def)) throw badResponse(url, `malformed definition of ${name}`);
		if (this.#objectInfo) {
			if (def) this.#objectInfo[name] = def;
			else delete this.#objectInfo[name];
		}
		return def ?? null;
	}

	async listModelFolders(): Promise<string[]> {
		return this.#stringList(this.url('/models'));
	}

	async listModels(folder: string): Promise<string[]> {
		return this.#stringList(this.url(`/models/${encodeURIComponent(folder)}`));
	}

	async systemStats(): Promise<SystemStats> {
		const url = this.url('/system_stats');
		const res = await this.#json(url);
		if (!isObj(res) || !isObj(res.system) || !Array.isArray(res.devices)) throw badResponse(url, 'expected system and devices');
		return res as unknown as SystemStats;
	}

	async features(): Promise<ServerFeatures> {
		const url = this.url('/features');
		const res = await this.#json(url);
		if (!isObj(res)) throw badResponse(url, 'expected an object');
		return res as ServerFeatures;
	}

	/** Saved workflows of the ComfyUI user, paths relative to `workflows/`. A server with none answers 404 → []. */
	async listUserWorkflows(): Promise<UserDataFile[]> {
		const url = this.url('/userdata', { dir: WORKFLOWS_DIR, recurse: 'true', split: 'false', full_info: 'true' });
		let res: unknown;
		try {
			res = await this.#json(url);
		} catch (error) {
			if (error instanceof ComfyError && error.status === 404) return [];
			throw error;
		}
		if (!Array.isArray(res)) throw badResponse(url, 'expected a list');
		return res.filter(isUserDataFile);
	}

	/** The raw bytes of a saved workflow (usually JSON), `path` as listed by `listUserWorkflows`. */
	async getUserWorkflow(path: string): Promise<Uint8Array> {
		const url = this.url(`/userdata/${encodeURIComponent(`${WORKFLOWS_DIR}/${path}`)}`);
		return exchange(this.#config, { url }, async (response) => new Uint8Array(await response.arrayBuffer()));
	}

	async #loadObjectInfo(): Promise<ObjectInfo> {
		const url = this.url('/object_info');
		const res = await this.#json(url, { timeoutMs: this.#config.timeoutMs * TRANSFER_TIMEOUT_FACTOR });
		if (!isObj(res)) throw badResponse(url, 'expected an object');
		const info: ObjectInfo = {};
		for (const [name, def] of Object.entries(res)) if (isNodeDef(def)) info[name] = def;
		return info;
	}

	async #stringList(url: string): Promise<string[]> {
		const res = await this.#json(url);
		if (!isStrList(res)) throw badResponse(url, 'expected a list of names');
		return res;
	}

	async #json(
		url: string,
		init: { method?: 'GET' | 'POST'; json?: unknown; body?: BodyInit; signal?: AbortSignal; timeoutMs?: number } = {}
	): Promise<unknown> {
		return exchange(this.#config, { url, ...init }, (response) => readJson(response, url));
	}
}

function badResponse(url: string, why: string): ComfyError {
	return new ComfyError('bad-response', `Unexpected answer from ${describeUrl(url)}: ${why}`);
}

/** The `asset` of an upload answer (servers with assets on); anything malformed is left out. */
export function uploadedAsset(v: unknown): UploadedAsset | undefined {
	if (!isObj(v) || typeof v.id !== 'string' || typeof v.name !== 'string') return undefined;
	const hash = typeof v.asset_hash === 'string' && /^blake3:[0-9a-f]+$/.test(v.asset_hash) ? v.asset_hash : null;
	const asset: UploadedAsset = { id: v.id, name: v.name, asset_hash: hash };
	if (typeof v.size === 'number') asset.size = v.size;
	if (typeof v.mime_type === 'string') asset.mime_type = v.mime_type;
	if (isStrList(v.tags)) asset.tags = v.tags;
	return asset;
}

function isHistoryEntry(v: unknown): v is HistoryEntry {
	return isObj(v) && isObj(v.outputs) && isObj(v.status) && Array.isArray(v.status.messages);
}

function isNodeDef(v: unknown): v is NodeDef {
	return isObj(v) && isObj(v.input) && Array.isArray(v.output);
}

function isUserDataFile(v: unknown): v is UserDataFile {
	return isObj(v) && typeof v.path === 'string' && typeof v.size === 'number' && typeof v.modified === 'number';
}
