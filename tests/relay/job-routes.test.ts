// The job API routes of newer ComfyUI servers through the relay: exactly GET /api/jobs (checked query, rebuilt),
// GET /api/jobs/{uuid}, POST /api/jobs/{uuid}/cancel and POST /api/jobs/cancel {job_ids}; everything else about
// jobs stays closed, bodies are checked and only their checked parts go upstream, and nothing passes without a
// phone token. The test upstream is the 0.3.64 emulator, which has no job API: its own 404 comes back, which is
// what the app's feature detection reads as "not there".
import { beforeAll, describe, expect, it } from 'vitest';
import { classifyApiRequest } from '../../durable-objects/src/allowlist';
import { call, pairPhone } from './support';

const ID = '0b6c3c6e-3a8f-4b7e-9c71-1d2a3b4c5d6e';
let token = '';

beforeAll(async () => {
	token = (await pairPhone('jobs phone')).token;
});

const classify = (pathAndQuery: string, method = 'GET') => {
	const url = new URL(`https://x${pathAndQuery}`);
	return classifyApiRequest(method, url.pathname, url.searchParams);
};

describe('job routes in the allowlist', () => {
	it('allows the job list with the known parameters, rebuilt in a fixed form, with and without the /api prefix', () => {
		expect(classify('/api/jobs')).toMatchObject({ name: 'jobs', handler: 'relay', upstreamPath: '/api/jobs' });
		expect(classify('/jobs?limit=1')?.upstreamPath).toBe('/api/jobs?limit=1');
		expect(classify('/api/jobs?status=pending,in_progress&workflow_id=wf-1&sort_by=execution_duration&sort_order=asc&limit=20&offset=40')?.upstreamPath).toBe(
			'/api/jobs?status=pending%2Cin_progress&workflow_id=wf-1&sort_by=execution_duration&sort_order=asc&limit=20&offset=40'
		);
		expect(classify('/api/jobs?limit=5&evil=1&limit=6')?.upstreamPath).toBe('/api/jobs?limit=5');
	});

	it('refuses list parameters the server would not take, or that could carry anything else', () => {
		for (const q of ['status=done', 'status=', 'status=completed,', 'sort_by=name', 'sort_order=up', 'limit=0', 'limit=-1', 'limit=1e3', 'limit=99999', 'offset=-1', 'offset=x', 'workflow_id=a%2Fb', 'workflow_id=a%0Ab', `workflow_id=${'a'.repeat(129)}`]) {
			expect(classify(`/api/jobs?${q}`), q).toBeNull();
		}
	});

	it('allows one job and its cancel only for a canonical lowercase UUID', () => {
		expect(classify(`/api/jobs/${ID}`)).toMatchObject({ name: 'job', handler: 'relay', upstreamPath: `/api/jobs/${ID}` });
		expect(classify(`/api/jobs/${ID}/cancel`, 'POST')).toMatchObject({ name: 'job-cancel', upstreamPath: `/api/jobs/${ID}/cancel`, maxBodyBytes: 64 * 1024 });
		expect(classify('/api/jobs/cancel', 'POST')).toMatchObject({ name: 'jobs-cancel', upstreamPath: '/api/jobs/cancel' });
		for (const bad of [ID.toUpperCase(), ID.replaceAll('-', ''), 'not-a-uuid', '..', '%2E%2E', `${ID}%2F..`, `${ID}%00`]) {
			expect(classify(`/api/jobs/${bad}`), bad).toBeNull();
			expect(classify(`/api/jobs/${bad}/cancel`, 'POST'), bad).toBeNull();
		}
	});

	it('keeps every other method and shape of the job routes closed', () => {
		expect(classify(`/api/jobs/${ID}`, 'POST')).toBeNull();
		expect(classify('/api/jobs', 'POST')).toBeNull();
		expect(classify(`/api/jobs/${ID}/cancel`)).toBeNull();
		expect(classify('/api/jobs/cancel')).toBeNull();
		expect(classify(`/api/jobs/${ID}/cancel/x`, 'POST')).toBeNull();
		expect(classify(`/api/jobs/${ID}/outputs`)).toBeNull();
		for (const method of ['PUT', 'PATCH', 'DELETE']) expect(classify(`/api/jobs/${ID}`, method), method).toBeNull();
		expect(classify('/api/assets')).toBeNull();
		expect(classify('/api/tags')).toBeNull();
	});

	it('lets /view ask for an asset hash, and nothing else with a colon', () => {
		const hash = `blake3:${'0f'.repeat(32)}`;
		expect(classify(`/api/view?filename=${hash}&type=input`)?.upstreamPath).toBe(`/api/view?filename=${encodeURIComponent(hash)}&subfolder=&type=input`);
		expect(classify(`/api/view?filename=blake3:${'0f'.repeat(31)}`)).toBeNull();
		expect(classify('/api/view?filename=C:evil.png')).toBeNull();
	});
});

describe('job routes through the relay', () => {
	it('need a phone token', async () => {
		for (const [path, method] of [['/relay/api/api/jobs', 'GET'], [`/relay/api/api/jobs/${ID}`, 'GET'], [`/relay/api/api/jobs/${ID}/cancel`, 'POST'], ['/relay/api/api/jobs/cancel', 'POST']]) {
			const res = await call(path, { method, body: method === 'POST' ? JSON.stringify({ job_ids: [ID] }) : undefined });
			expect(res.status, path).toBe(401);
		}
	});

	it('reach the upstream: a server without the job API answers its own 404, so the app falls back', async () => {
		expect((await call('/relay/api/api/jobs?limit=1', { bearer: token })).status).toBe(404);
		expect((await call(`/relay/api/api/jobs/${ID}`, { bearer: token })).status).toBe(404);
		expect((await call(`/relay/api/api/jobs/${ID}/cancel`, { method: 'POST', bearer: token, body: '{"anything": 1}' })).status).toBe(404);
		expect((await call('/relay/api/api/jobs/cancel', { method: 'POST', bearer: token, body: JSON.stringify({ job_ids: [ID] }) })).status).toBe(404);
	});

	it('refuses a batch cancel body that is not 1-100 job ids before anything goes upstream', async () => {
		const bodies = ['{not json', '[]', '{}', JSON.stringify({ job_ids: [] }), JSON.stringify({ job_ids: 'x' }), JSON.stringify({ job_ids: [ID.toUpperCase()] }), JSON.stringify({ job_ids: Array(101).fill(ID) })];
		for (const body of bodies) {
			const res = await call('/relay/api/api/jobs/cancel', { method: 'POST', bearer: token, body });
			expect(res.status, body).toBe(400);
		}
		const big = await call(`/relay/api/api/jobs/${ID}/cancel`, { method: 'POST', bearer: token, body: 'x'.repeat(65 * 1024) });
		expect(big.status).toBe(413);
	});
});
