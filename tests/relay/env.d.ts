// The bindings the tests see through `cloudflare:test` are the relay Worker's own, except that the tests look inside
// the Durable Object (runInDurableObject) and so see its class, where the Worker sees only its RPC surface.
import type { Env as RelayEnv } from '../../durable-objects/src/env';
import type { Relay } from '../../durable-objects/src/relay';

declare global {
	namespace Cloudflare {
		interface Env extends Omit<RelayEnv, 'RELAY'> {
			RELAY: DurableObjectNamespace<Relay>;
		}
	}
}
