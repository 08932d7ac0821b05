// Each documented error shape and each answer seen on the way to ComfyUI, mapped to what happened and the fix.
import { describe, expect, it } from 'vitest';
import { CloudflareError, readEnvelope, requests } from '../../../tools/setup-remote/cloudflare-api';
import { explainAccount, explainApiError, judgeLocalComfy, judgePublicComfy } from '../../../tools/setup-remote/diagnose';
import type { HttpAnswer } from '../../../tools/setup-remote/ports';
import { judgeRelayUpstream } from '../../../tools/setup-remote/verify';
import * as fx from './cloudflare-fixtures';

function errorFrom(request: ReturnType<typeof requests.listApps>, status: number, body: unknown): CloudflareError {
	try {
		readEnvelope(request, status, body);
	} catch (error) {
		if (error instanceof CloudflareError) return error;
	}
	throw new Error('expected a CloudflareError');
}

const answer = (status: number, body = '', headers: Record<string, string> = {}): HttpAnswer => ({ status, body, headers });

describe('Cloudflare API envelopes', () => {
	it('a success envelope gives its result', () => {
		expect(readEnvelope(requests.verifyUserToken(), 200, fx.verifyActive)).toMatchObject({ status: 'active' });
		expect(readEnvelope(requests.findZone('example.com'), 200, fx.ok([]))).toEqual([]);
	});

	it('an invalid or mistyped token (1000, 9109) says to paste it again or make one, with every permission', () => {
		for (const [status, body] of [
			[401, fx.invalidToken],
			[403, fx.invalidAccessToken]
		] as const) {
			const v = explainApiError(errorFrom(requests.verifyUserToken(), status, body));
			expect(v.message).toContain('did not accept the API token');
			expect(v.fix).toContain('Account › Cloudflare Tunnel › Edit');
			expect(v.fix).toContain('Zone › DNS › Edit');
		}
	});

	it('10000 Authentication error names the permission of that very call', () => {
		const v = explainApiError(errorFrom(requests.createServiceToken(fx.ACCOUNT, 'x'), 403, fx.authenticationError));
		expect(v.message).toBe(`The API token may not POST /accounts/${fx.ACCOUNT}/access/service_tokens (10000: Authentication error).`);
		expect(v.fix).toContain('"Account › Access: Service Tokens › Edit"');
	});

	it('7003/7000 no route: the account id is wrong', () => {
		const v = explainApiError(errorFrom(requests.listTunnels('not-an-account', 'x'), 404, fx.noRoute));
		expect(v.message).toContain('7003: Could not route to');
		expect(v.fix).toContain('--account-id');
	});

	it('any other documented error (a DNS record or an Access app that exists) keeps its code and message', () => {
		expect(explainApiError(errorFrom(requests.createDns(fx.ZONE_ID, 'h', 't'), 400, fx.dnsRecordExists)).message).toContain('81054: A CNAME record with that host already exists.');
		expect(explainApiError(errorFrom(requests.createApp(fx.ACCOUNT, 'n', 'h', []), 409, fx.accessConflict)).message).toContain('12130');
		// A body that is not an envelope at all (a proxy's HTML error page) still fails clearly.
		expect(errorFrom(requests.listApps(fx.ACCOUNT), 502, null).message).toContain('HTTP 502');
	});

	it('wrong account: wrangler is logged in elsewhere', () => {
		expect(explainAccount(fx.ACCOUNT, [{ id: fx.ACCOUNT, name: 'Alice' }]).ok).toBe(true);
		const v = explainAccount(fx.ACCOUNT, [{ id: fx.OTHER_ACCOUNT, name: 'Work' }]);
		expect(v.ok).toBe(false);
		expect(v.message).toContain(`Work (${fx.OTHER_ACCOUNT})`);
	});
});

describe('the path to ComfyUI', () => {
	const host = 'comfy.example.com';
	const stats = answer(200, '{"system":{"os":"posix"},"devices":[]}', { 'content-type': 'application/json' });
	const loginRedirect = answer(302, '', { location: 'https://alice.cloudflareaccess.com/cdn-cgi/access/login/comfy.example.com?kid=x' });
	const loginHtml = answer(200, '<html><title>Sign in ・ Cloudflare Access</title><form action="https://alice.cloudflareaccess.com/cdn-cgi/access/login">', { 'content-type': 'text/html' });

	it('ComfyUI not on the port', () => {
		expect(judgeLocalComfy(stats, 8188).ok).toBe(true);
		const v = judgeLocalComfy(new Error('ECONNREFUSED'), 8188);
		expect(v.message).toContain('ComfyUI does not answer on http://127.0.0.1:8188 (ECONNREFUSED)');
		expect(v.fix).toContain('--comfy-port');
		expect(judgeLocalComfy(answer(404, 'Not Found'), 8188).ok).toBe(false);
	});

	it('without the token: Access must stop us; an open hostname is reported as unprotected', () => {
		expect(judgePublicComfy(loginRedirect, false, host, 8188).ok).toBe(true);
		expect(judgePublicComfy(answer(403, 'Forbidden'), false, host, 8188).ok).toBe(true);
		const open = judgePublicComfy(stats, false, host, 8188);
		expect(open.ok).toBe(false);
		expect(open.message).toContain('Access does not protect it');
	});

	it('with the token: the Allow-instead-of-Service-Auth login page (302 or HTML), a refused token, or ComfyUI', () => {
		for (const page of [loginRedirect, loginHtml]) {
			const v = judgePublicComfy(page, true, host, 8188);
			expect(v.ok).toBe(false);
			expect(v.message).toContain('"Allow" (for people), not "Service Auth"');
		}
		expect(judgePublicComfy(answer(403, 'Forbidden'), true, host, 8188).message).toContain('Access refused the service token');
		expect(judgePublicComfy(stats, true, host, 8188).ok).toBe(true);
	});

	it('tunnel down (530 / error 1033), ComfyUI down behind a running tunnel (502), no DNS yet', () => {
		expect(judgePublicComfy(answer(530, 'error code: 1033'), true, host, 8188).message).toContain('The tunnel is down');
		expect(judgePublicComfy(answer(502, 'Bad gateway'), true, host, 8188).fix).toContain('--port 8188');
		expect(judgePublicComfy(new Error('ENOTFOUND'), false, host, 8188).fix).toContain('cfargotunnel.com');
	});

	it('the relay upstream state: live, refused by a login page, refused token, unreachable, silent', () => {
		expect(judgeRelayUpstream({ status: 'live' }, host).ok).toBe(true);
		expect(judgeRelayUpstream({ status: 'unauthorized', error: 'Cloudflare Access redirected the relay to a login page: the Access policy must use the Service Auth action' }, host).fix).toContain('Service Auth action');
		expect(judgeRelayUpstream({ status: 'unauthorized', error: 'refused' }, host).fix).toContain('rotates the secret');
		expect(judgeRelayUpstream({ status: 'backoff', error: 'ComfyUI did not answer the relay' }, host).message).toContain('cannot reach ComfyUI');
		expect(judgeRelayUpstream(null, host).ok).toBe(false);
	});
});
