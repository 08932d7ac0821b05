// A tiny stand-in for the browser WebSocket, driven by the test: open, receive, close from the "server" side.

export class FakeWebSocket {
	static instances: FakeWebSocket[] = [];
	static readonly CONNECTING = 0;
	static readonly OPEN = 1;
	static readonly CLOSING = 2;
	static readonly CLOSED = 3;

	readonly url: string;
	readyState = FakeWebSocket.CONNECTING;
	binaryType: 'blob' | 'arraybuffer' = 'blob';
	bufferedAmount = 0;
	sent: string[] = [];
	closedWith: number | undefined;
	onopen: ((e: Event) => void) | null = null;
	onmessage: ((e: MessageEvent) => void) | null = null;
	onclose: ((e: CloseEvent) => void) | null = null;
	onerror: ((e: Event) => void) | null = null;

	constructor(url: string) {
		this.url = url;
		FakeWebSocket.instances.push(this);
	}

	static reset(): void {
		FakeWebSocket.instances = [];
	}

	static get last(): FakeWebSocket {
		const ws = FakeWebSocket.instances.at(-1);
		if (!ws) throw new Error('no WebSocket was opened');
		return ws;
	}

	send(data: string): void {
		if (this.readyState !== FakeWebSocket.OPEN) throw new Error('send on a socket that is not open');
		this.sent.push(data);
	}

	/** Like a browser: the close event follows asynchronously, unless the test holds it with `holdClose`. */
	close(code?: number): void {
		this.closedWith = code ?? 1005;
		this.readyState = FakeWebSocket.CLOSING;
		if (!this.holdClose) queueMicrotask(() => this.finishClose());
	}

	holdClose = false;

	finishClose(): void {
		if (this.readyState === FakeWebSocket.CLOSED) return;
		this.readyState = FakeWebSocket.CLOSED;
		this.onclose?.({ code: this.closedWith ?? 1005, reason: '', wasClean: true } as CloseEvent);
	}

	serverOpen(): void {
		this.readyState = FakeWebSocket.OPEN;
		this.onopen?.(new Event('open'));
	}

	serverSend(data: string | ArrayBuffer | Uint8Array): void {
		const payload = data instanceof Uint8Array ? data.slice().buffer : data;
		this.onmessage?.({ data: payload } as MessageEvent);
	}

	serverClose(code = 1006, reason = ''): void {
		this.readyState = FakeWebSocket.CLOSED;
		this.onclose?.({ code, reason, wasClean: false } as CloseEvent);
	}
}

export const asWebSocket = FakeWebSocket as unknown as typeof WebSocket;
