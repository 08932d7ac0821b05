// The bindings the tests see through `cloudflare:test` are the relay Worker's own.
import type { Env as RelayEnv } from '../../durable-objects/src/env';

declare global {
	namespace Cloudflare {
		// eslint-disable-next-line @typescript-eslint/no-empty-object-type
		interface Env extends RelayEnv {}
	}
}
