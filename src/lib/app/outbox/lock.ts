// One outbox sender at a time across the app's tabs and windows: a Web Lock (all current browsers; Safari since
// 15.4). Where the API is missing, a chain inside this tab keeps at least one tab's senders from overlapping.
const LOCK_NAME = 'comfy-pocket:outbox';

let chain: Promise<unknown> = Promise.resolve();

export function outboxLock<T>(fn: () => Promise<T>): Promise<T> {
	const locks = typeof navigator === 'undefined' ? undefined : navigator.locks;
	if (locks) return locks.request(LOCK_NAME, () => fn()) as Promise<T>;
	const run = chain.then(fn, fn);
	chain = run.catch(() => undefined);
	return run;
}
