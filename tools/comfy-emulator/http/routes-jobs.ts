// The 2026 profile's job API (/api/jobs list, detail, cancel, batch cancel; only under /api, as in server.py)
// and the assets routes that answer 503 while the server's assets system is off (its captured default).
import { CANONICAL_UUID, JOB_STATUSES, type JobStatus } from '../../../src/lib/comfy/job-types';
import type { EmulatorCore } from '../core';
import { historyJob, listJobs, queuedJob } from '../job-index';
import { json, readJson, type Router } from './router';

const error = (message: string, status = 400) => json({ error: message }, status);

/** Python int() of a query value: optional sign, digits, surrounding blanks. */
function pyIntParam(value: string): number | null {
	return /^\s*[+-]?\d+(_\d+)*\s*$/.test(value) ? Number(value.replaceAll('_', '')) : null;
}

/** _cancel_job_by_id: interrupt the running job with that id, else dequeue it; finished and unknown are no-ops. */
export function cancelJob(core: EmulatorCore, id: string): boolean {
	if (core.queue.isRunning(id)) {
		core.executor.interrupt();
		return true;
	}
	return core.queue.delete(id);
}

export function jobRoutes(router: Router, core: EmulatorCore): void {
	router.addExact('GET', '/api/jobs', (req) => {
		const q = req.url.searchParams;
		let statuses: JobStatus[] | null = null;
		const status = q.get('status');
		if (status) {
			const values = status.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
			const invalid = values.filter((s) => !(JOB_STATUSES as readonly string[]).includes(s));
			if (invalid.length > 0) return error(`Invalid status value(s): ${invalid.join(', ')}. Valid values: ${JOB_STATUSES.join(', ')}`);
			statuses = values as JobStatus[];
		}
		const sortBy = (q.get('sort_by') ?? 'created_at').toLowerCase();
		const sortOrder = (q.get('sort_order') ?? 'desc').toLowerCase();
		if (sortBy !== 'created_at' && sortBy !== 'execution_duration') return error("sort_by must be 'created_at' or 'execution_duration'");
		if (sortOrder !== 'asc' && sortOrder !== 'desc') return error("sort_order must be 'asc' or 'desc'");
		let limit: number | null = null;
		if (q.has('limit')) {
			limit = pyIntParam(q.get('limit')!);
			if (limit === null) return error('limit must be an integer');
			if (limit <= 0) return error('limit must be a positive integer');
		}
		let offset = 0;
		if (q.has('offset')) {
			const parsed = pyIntParam(q.get('offset')!);
			if (parsed === null) return error('offset must be an integer');
			offset = Math.max(0, parsed);
		}
		const { jobs, total } = listJobs(core.queue.running(), core.queue.pending(), core.history.entries(), {
			statuses,
			workflowId: q.get('workflow_id'),
			sortBy,
			sortOrder,
			limit,
			offset
		});
		return json({ jobs, pagination: { offset, limit, total, has_more: offset + jobs.length < total } });
	});

	router.addExact('GET', '/api/jobs/{id}', (req) => {
		const id = req.params.id;
		const entry = core.history.get(id);
		if (entry) return json(historyJob(id, entry, true));
		const running = core.queue.running().find((item) => item[1] === id);
		if (running) return json(queuedJob(running, 'in_progress'));
		const pending = core.queue.pending().find((item) => item[1] === id);
		if (pending) return json(queuedJob(pending, 'pending'));
		return error('Job not found', 404);
	});

	router.addExact('POST', '/api/jobs/cancel', async (req) => {
		const parsed = await readJson(req);
		if (!parsed) return error('Request body must be valid JSON');
		const body = parsed.value;
		const ids = body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>).job_ids : undefined;
		if (!Array.isArray(ids)) return error('job_ids must be a list');
		const invalid = ids.filter((id) => typeof id !== 'string' || !CANONICAL_UUID.test(id));
		if (invalid.length > 0) {
			// Non-strings are reported as their Python repr (5 → "5").
			return json({ error: 'job_ids contains invalid id(s)', invalid_ids: invalid.map((id) => (typeof id === 'string' ? id : JSON.stringify(id))) }, 400);
		}
		let cancelled = false;
		for (const id of ids as string[]) if (cancelJob(core, id)) cancelled = true;
		return json({ cancelled });
	});

	router.addExact('POST', '/api/jobs/{id}/cancel', (req) => json({ cancelled: cancelJob(core, req.params.id) }));

	const disabled = () =>
		json(
			{ error: { code: 'SERVICE_DISABLED', message: 'Assets system is disabled. Start the server with --enable-assets to use this feature.', details: {} } },
			503
		);
	for (const path of ['/api/assets', '/api/tags']) router.addExact('GET', path, disabled);
}
