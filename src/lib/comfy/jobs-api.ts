// Client of the job API of newer ComfyUI servers (`/api/jobs`, comfy_execution/jobs.py): list with filters and
// paging, one job's detail, cancel by id and in batch. 0.3.x servers do not have it: `available()` finds out once
// per server (GET /api/jobs?limit=1 → 200 with jobs and pagination; 404 = not there), never from a version number.
import { ComfyError } from './errors';
import { CANONICAL_UUID, JOB_STATUSES, type JobDetail, type JobListQuery, type JobPage, type JobSummary } from './job-types';
import { describeUrl, exchange, readJson, type RequestConfig } from './request';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function isJob(v: unknown): v is JobSummary {
	return isObj(v) && typeof v.id === 'string' && typeof v.status === 'string' && (JOB_STATUSES as readonly string[]).includes(v.status);
}

function isPage(v: unknown): v is JobPage {
	if (!isObj(v) || !Array.isArray(v.jobs) || !isObj(v.pagination)) return false;
	const p = v.pagination;
	return typeof p.offset === 'number' && typeof p.total === 'number' && typeof p.has_more === 'boolean' && (p.limit === null || typeof p.limit === 'number');
}

function badResponse(url: string, why: string): ComfyError {
	return new ComfyError('bad-response', `Unexpected answer from ${describeUrl(url)}: ${why}`);
}

/** The query string of a list request; values the server would refuse are refused here first. */
export function jobListParams(query: JobListQuery): Record<string, string | undefined> {
	const positive = (n: number | undefined, name: string, min: number) => {
		if (n !== undefined && (!Number.isInteger(n) || n < min)) throw new ComfyError('bad-response', `${name} must be an integer ≥ ${min}, got ${n}`);
		return n === undefined ? undefined : String(n);
	};
	return {
		status: query.status && query.status.length > 0 ? query.status.join(',') : undefined,
		workflow_id: query.workflowId,
		sort_by: query.sortBy,
		sort_order: query.sortOrder,
		limit: positive(query.limit, 'limit', 1),
		offset: positive(query.offset, 'offset', 0)
	};
}

export class JobApi {
	#available: Promise<boolean> | null = null;

	constructor(
		private readonly config: RequestConfig,
		private readonly url: (path: string, query?: Record<string, string | undefined>) => string
	) {}

	/**
	 * Whether this server has the job API; asked once and remembered (a network failure is not remembered, so the
	 * next call asks again). 404 and 405 mean no: a 0.3.x server, or a relay that does not pass the route.
	 */
	available(): Promise<boolean> {
		this.#available ??= this.#probe().catch((error: unknown) => {
			this.#available = null;
			throw error;
		});
		return this.#available;
	}

	async #probe(): Promise<boolean> {
		const url = this.url('/jobs', { limit: '1' });
		try {
			const res = await exchange(this.config, { url }, (response) => readJson(response, url));
			return isPage(res);
		} catch (error) {
			if (error instanceof ComfyError && (error.status === 404 || error.status === 405)) return false;
			if (error instanceof ComfyError && error.kind === 'bad-response') return false;
			throw error;
		}
	}

	/** One page of jobs, newest first unless sorted otherwise; running and pending ones included. */
	async list(query: JobListQuery = {}, signal?: AbortSignal): Promise<JobPage> {
		const url = this.url('/jobs', jobListParams(query));
		const res = await exchange(this.config, { url, signal }, (response) => readJson(response, url));
		if (!isPage(res)) throw badResponse(url, 'expected jobs and pagination');
		return { jobs: res.jobs.filter(isJob), pagination: res.pagination };
	}

	/** The job with its outputs and status messages, or null when the server does not know it (a cancelled
	 *  pending job is gone, like an unknown id). */
	async get(id: string, signal?: AbortSignal): Promise<JobDetail | null> {
		const url = this.url(`/jobs/${encodeURIComponent(id)}`);
		try {
			const res = await exchange(this.config, { url, signal }, (response) => readJson(response, url));
			if (!isJob(res)) throw badResponse(url, 'expected a job');
			return res as JobDetail;
		} catch (error) {
			if (error instanceof ComfyError && error.kind === 'http' && error.status === 404) return null;
			throw error;
		}
	}

	/** Interrupts the job if it runs, dequeues it if it waits; true when it did one of those. */
	async cancel(id: string): Promise<boolean> {
		const url = this.url(`/jobs/${encodeURIComponent(id)}/cancel`);
		const res = await exchange(this.config, { method: 'POST', url, json: {} }, (response) => readJson(response, url));
		if (!isObj(res) || typeof res.cancelled !== 'boolean') throw badResponse(url, 'expected {"cancelled": true|false}');
		return res.cancelled;
	}

	/** Cancels several jobs; true when at least one was running or pending. Ids must be canonical lowercase
	 *  UUIDs (the server refuses the whole batch otherwise), so they are checked before sending. */
	async cancelMany(ids: string[]): Promise<boolean> {
		const invalid = ids.filter((id) => !CANONICAL_UUID.test(id));
		if (invalid.length > 0) throw new ComfyError('bad-response', `Not job ids: ${invalid.join(', ')}`);
		if (ids.length === 0) return false;
		const url = this.url('/jobs/cancel');
		const res = await exchange(this.config, { method: 'POST', url, json: { job_ids: ids } }, (response) => readJson(response, url));
		if (!isObj(res) || typeof res.cancelled !== 'boolean') throw badResponse(url, 'expected {"cancelled": true|false}');
		return res.cancelled;
	}
}
