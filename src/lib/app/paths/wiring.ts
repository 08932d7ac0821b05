// When to look for a better way in: the browser's network events, fed to a SwitchingTransport while it is connected.
// (Failed requests and lost sockets are reported by the transport's routes themselves; see server-transport.ts.)
import type { SwitchingTransport } from './switching-transport';

interface NetworkInformationLike extends EventTarget {
	type?: string;
}

export function watchNetwork(transport: SwitchingTransport): () => void {
	if (typeof window === 'undefined') return () => undefined;
	const online = () => void transport.trigger('online');
	const visible = () => {
		if (document.visibilityState === 'visible') void transport.trigger('visible');
	};
	// Chrome on Android says when the phone moves between Wi-Fi and mobile data, which `online` does not.
	const connection = (navigator as Navigator & { connection?: NetworkInformationLike }).connection;
	const changed = () => void transport.trigger('network-change');
	window.addEventListener('online', online);
	document.addEventListener('visibilitychange', visible);
	connection?.addEventListener('change', changed);
	return () => {
		window.removeEventListener('online', online);
		document.removeEventListener('visibilitychange', visible);
		connection?.removeEventListener('change', changed);
	};
}
