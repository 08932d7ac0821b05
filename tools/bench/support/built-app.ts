// The production build served by workerd, as users get it (the same worker that deploys), for benchmarks that
// drive the app in a real browser. The build itself is made by run.ts before the benches (`needsBuild`).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { unstable_startWorker } from 'wrangler';

const BUILD_INDEX = path.resolve('.svelte-kit/cloudflare/index.html');

export interface BuiltApp {
	/** e.g. http://127.0.0.1:43121 (no trailing slash), what the browser sends as Origin. */
	origin: string;
	dispose(): Promise<void>;
}

export async function serveBuiltApp(): Promise<BuiltApp> {
	if (!existsSync(BUILD_INDEX)) throw new Error('no build found in .svelte-kit/cloudflare (run.ts builds it for benches that export needsBuild)');
	// watch: false, or a parallel workers-pool run can break the bundle (stack notes §3c); persist: false keeps the
	// relay's stored state of other runs out of it.
	// Wrangler's chatter (no internet for the Request.cf object, header rules parsed) would mix with the figures; its
	// logger reads WRANGLER_LOG on every message, so quiet it only while this worker lives.
	const logLevel = process.env.WRANGLER_LOG;
	process.env.WRANGLER_LOG ??= 'error';
	const restoreLogLevel = () => {
		if (logLevel === undefined) delete process.env.WRANGLER_LOG;
	};
	try {
		const worker = await unstable_startWorker({
			config: 'wrangler.toml',
			sendMetrics: false,
			dev: { server: { hostname: '127.0.0.1', port: 0 }, inspector: false, watch: false, persist: false, logLevel: 'error' }
		});
		try {
			const origin = new URL(await worker.url).origin;
			return {
				origin,
				dispose: async () => {
					await worker.dispose();
					restoreLogLevel();
				}
			};
		} catch (err) {
			await worker.dispose();
			throw err;
		}
	} catch (err) {
		restoreLogLevel();
		throw err;
	}
}
