import { DurableObject } from 'cloudflare:workers';

export interface Env {
	ASSETS: Fetcher;
	RELAY: DurableObjectNamespace<Relay>;
	COMFY_URL: string;
}

/** Placeholder until the relay lands: the Durable Object exists so the binding resolves. */
export class Relay extends DurableObject<Env> {
	async fetch(): Promise<Response> {
		return new Response(null, { status: 404 });
	}
}

export default {
	async fetch(request, env): Promise<Response> {
		const url = new URL(request.url);
		if (url.pathname.startsWith('/relay/')) return new Response(null, { status: 404 });
		return env.ASSETS.fetch(request);
	}
} satisfies ExportedHandler<Env>;
