// ComfyUI keeps one socket per client id and, when a socket closes, removes whatever is registered under that id.
// A replacement that registers before the old socket's close is processed is therefore silently unregistered and
// hears nothing, not even broadcasts. So a new socket for a URL (which carries the client id) first waits for the
// previous socket on that URL to finish closing; the wait is capped because a dead connection may never say so.

const CLOSED = 3;
const CLOSE_WAIT_CAP_MS = 2000;
const pending = new Map<string, Promise<void>>();

/** Closes `ws` and remembers, until its close event (or the cap), that `url` is still in use. */
export function closeSocket(url: string, ws: WebSocket, code?: number): void {
	if (ws.readyState === CLOSED) return;
	const done = new Promise<void>((resolve) => {
		const cap = setTimeout(resolve, CLOSE_WAIT_CAP_MS);
		ws.onclose = () => {
			clearTimeout(cap);
			resolve();
		};
	});
	pending.set(url, done);
	void done.then(() => {
		if (pending.get(url) === done) pending.delete(url);
	});
	ws.close(code);
}

/** Resolves once no socket opened on `url` by this page is still closing. */
export function closedBefore(url: string): Promise<void> | null {
	return pending.get(url) ?? null;
}
