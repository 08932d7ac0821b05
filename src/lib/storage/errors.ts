// Storage failures the UI must tell apart: "the device is full" has its own remedy (free space), anything else
// is reported as it is.

/** The browser refused a write because the origin's quota is used up. Nothing was written. */
export class StorageFullError extends Error {
	override readonly name = 'StorageFullError';
	constructor(readonly operation: string, options?: { cause?: unknown }) {
		super(`Device storage is full: could not ${operation}. Free space by deleting old results or clearing the cache.`, options);
	}
}

/** Any other IndexedDB failure (blocked upgrade, private mode without IndexedDB, corrupt data…). */
export class StorageError extends Error {
	override readonly name = 'StorageError';
	constructor(readonly operation: string, options?: { cause?: unknown }) {
		super(`Could not ${operation}: ${describe(options?.cause)}`, options);
	}
}

function describe(cause: unknown): string {
	if (cause instanceof Error) return cause.message || cause.name;
	return String(cause ?? 'unknown error');
}

/** Quota errors come as a DOMException, or as the `error` of an aborted transaction, depending on the browser. */
export function isQuotaError(err: unknown): boolean {
	if (!err || typeof err !== 'object') return false;
	const e = err as { name?: unknown; code?: unknown; inner?: unknown; cause?: unknown };
	if (e.name === 'QuotaExceededError' || e.code === 22) return true;
	// Firefox historically used its own name.
	if (e.name === 'NS_ERROR_DOM_QUOTA_REACHED') return true;
	return e.cause !== undefined && e.cause !== err && isQuotaError(e.cause);
}

/** Runs one storage operation and turns whatever it throws into a StorageFullError or a StorageError. */
export async function guard<T>(operation: string, fn: () => Promise<T>): Promise<T> {
	try {
		return await fn();
	} catch (err) {
		if (err instanceof StorageFullError || err instanceof StorageError) throw err;
		if (isQuotaError(err)) throw new StorageFullError(operation, { cause: err });
		throw new StorageError(operation, { cause: err });
	}
}
