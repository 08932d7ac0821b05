// How much of the browser's quota the app uses, and asking it to keep our data (Safari evicts otherwise).

export interface StorageUsage {
	usage: number;
	quota: number;
	persisted: boolean;
}

/** null when the Storage API is missing (plain-http LAN pages are not a secure context). */
export async function storageEstimate(): Promise<StorageUsage | null> {
	const storage = globalThis.navigator?.storage;
	if (!storage?.estimate) return null;
	try {
		const { usage = 0, quota = 0 } = await storage.estimate();
		const persisted = storage.persisted ? await storage.persisted() : false;
		return { usage, quota, persisted };
	} catch {
		return null;
	}
}

export async function requestPersistence(): Promise<boolean> {
	const storage = globalThis.navigator?.storage;
	if (!storage?.persist) return false;
	try {
		return (await storage.persisted?.()) || (await storage.persist());
	} catch {
		return false;
	}
}
