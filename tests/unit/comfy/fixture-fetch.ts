// A fetch that answers from the recorded HTTP exchanges of the real server, and records what it was asked.
import { httpExchange } from './capture-files';

export interface SeenRequest {
	method: string;
	url: URL;
	headers: Record<string, string>;
	body: BodyInit | null | undefined;
}

/** Routes are `METHOD /path` (without `/api`, without query) → fixture name, or a function producing a Response. */
export type Routes = Record<string, string | ((req: SeenRequest) => Response | Promise<Response>)>;

export function responseOf(fixture: string): Response {
	const { response } = httpExchange(fixture);
	const body = response.json !== undefined ? JSON.stringify(response.json) : (response.text ?? '');
	const contentType = response.headers['Content-Type'] ?? 'application/octet-stream';
	return new Response(response.status === 204 ? null : body, {
		status: response.status,
		statusText: response.reason ?? '',
		headers: { 'Content-Type': contentType }
	});
}

export function fixtureFetch(routes: Routes): { fetch: typeof fetch; seen: SeenRequest[] } {
	const seen: SeenRequest[] = [];
	const fetchImpl = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
		const url = new URL(String(input));
		const req: SeenRequest = {
			method: init?.method ?? 'GET',
			url,
			headers: { ...(init?.headers as Record<string, string>) },
			body: init?.body
		};
		seen.push(req);
		const key = `${req.method} ${url.pathname.replace(/^\/api/, '')}`;
		const route = routes[key];
		if (route === undefined) return new Response('', { status: 404, statusText: 'Not Found' });
		return typeof route === 'string' ? responseOf(route) : route(req);
	};
	return { fetch: fetchImpl as typeof fetch, seen };
}

export function jsonBody(req: SeenRequest): unknown {
	return JSON.parse(String(req.body));
}
