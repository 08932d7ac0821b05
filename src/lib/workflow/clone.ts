// Deep copies of workflow and prompt data. JSON, not structuredClone: the data is JSON by nature, and callers may
// hand in reactive proxies (Svelte $state), which structuredClone refuses.
export function jsonClone<T>(value: T): T {
	return JSON.parse(JSON.stringify(value)) as T;
}
