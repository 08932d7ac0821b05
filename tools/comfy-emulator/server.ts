// startEmulator(): a Node HTTP + WebSocket server that behaves like ComfyUI 0.3.64 as recorded in the captures, or
// (profile '2026') like ComfyUI 0.33.0 as recorded in captures-2026.
// Importable from vitest and Playwright; `cli.ts` runs it standalone.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { History, ObjectInfo, ServerFeatures } from '../../src/lib/comfy/types';
import { Catalog } from './catalog';
import type { EmulatorCore } from './core';
import { Executor } from './executor';
import { FileStore } from './files';
import { HistoryStore } from './history';
import { corsHeaders, originRefused } from './http/origin';
import { BodyTooLarge, readBody, Router, text, type Response } from './http/router';
import { fileRoutes } from './http/routes-files';
import { infoRoutes } from './http/routes-info';
import { jobRoutes } from './http/routes-jobs';
import { queueRoutes } from './http/routes-queue';
import { OutputCache } from './output-cache';
import { profileOf, type ProfileName } from './profile';
import { PromptQueue } from './prompt-queue';
import { seedFiles } from './seed';
import { WsHub } from './ws-hub';

export interface EmulatorOptions {
	/** 0 (default) picks a free port. */
	port?: number;
	host?: string;
	/** Time per sampler step; the captures' SlowNoiseImage ran 100–300 ms, real samplers up to ~75 steps/s. */
	stepMs?: number;
	/** Preview format of samplers (SlowNoiseImage's own `preview_format` input wins). */
	previewFormat?: 'jpeg' | 'png';
	/** Like --enable-cors-header ORIGIN; null (default) = the server's origin guard instead. */
	cors?: string | null;
	/** Class types that raise when executed (besides ProbeFail, which always does). */
	failNodes?: string[];
	/** Cut the running prompt's client socket(s) after this many sampler steps of each prompt. */
	dropSocketAfterSteps?: number;
	/** Node classes to serve instead of the recorded /object_info. */
	objectInfo?: ObjectInfo;
	/** Replaces the demo model set (folder → file names), e.g. `{}` for a server without models like the captures'. */
	models?: Record<string, string[]>;
	/** --max-upload-size in bytes (default 100 MiB): larger request bodies get 413. */
	maxUploadSize?: number;
	/** Failure injection: this many accepted POST /prompt lose their answer (queued, then cut after the headers). */
	losePromptAnswers?: number;
	/** The server generation: '0.3.64' (default, tests/fixtures/captures) or '2026' (ComfyUI 0.33.0, captures-2026). */
	profile?: ProfileName;
}

export interface Emulator {
	/** http://HOST:PORT */
	url: string;
	port: number;
	close(): Promise<void>;
	/** Cuts every WebSocket abruptly, as a network drop would. */
	dropSockets(): void;
	/** Everything in /history (finished prompts), for tests. */
	history(): History;
	/** Failure injection: the next `count` prompts are queued but their answer is lost (cut after the headers). */
	losePromptAnswers(count: number): void;
	/** Every prompt_id POST /prompt queued, in order, repeats included (a re-used id is queued again, as in 0.33). */
	queuedPromptIds(): string[];
	/** The emulator's folders (input/, output/, temp/, user/), for tests. */
	dataDir: string;
	profile: ProfileName;
	/** Every request as `METHOD /path` (without query), oldest first, for tests that check which endpoint was used. */
	requests(): string[];
}

const DEFAULT_MAX_UPLOAD = 100 * 1024 * 1024;

async function send(res: ServerResponse, response: Response, extraHeaders: Record<string, string>, head: boolean): Promise<void> {
	const body = response.body ?? '';
	const bytes = typeof body === 'string' ? Buffer.from(body) : body;
	res.writeHead(response.status, { ...response.headers, ...extraHeaders, 'Content-Length': String(bytes.length) });
	res.end(head ? undefined : bytes);
}

export async function startEmulator(opts: EmulatorOptions = {}): Promise<Emulator> {
	const maxUpload = opts.maxUploadSize ?? DEFAULT_MAX_UPLOAD;
	const profile = profileOf(opts.profile);
	const features: ServerFeatures = profile.features(maxUpload);
	const catalog = new Catalog(opts.objectInfo, opts.models, profile.objectInfoAsset);
	const files = await FileStore.create();
	await seedFiles(files, catalog.seedInputImages);
	const history = new HistoryStore();
	// The hub reports the queue length and the queue broadcasts through the hub; neither calls the other before both exist.
	const hub: WsHub = new WsHub(() => queue.remaining(), features);
	const queue: PromptQueue = new PromptQueue(() => hub.broadcastStatus());
	const executor = new Executor(hub, catalog, files, new OutputCache(), {
		stepMs: opts.stepMs ?? 60,
		previewFormat: opts.previewFormat ?? 'jpeg',
		failNodes: opts.failNodes ?? [],
		dropSocketAfterSteps: opts.dropSocketAfterSteps,
		modern: profile.modern
	});
	const core: EmulatorCore = { catalog, files, hub, queue, history, executor, features, profile, nextNumber: 0 };
	const router = new Router();
	if (profile.modern) jobRoutes(router, core);
	queueRoutes(router, core);
	infoRoutes(router, core);
	fileRoutes(router, core);
	const cors = opts.cors ?? null;
	const extraHeaders = cors === null ? {} : corsHeaders(cors);

	let answersToLose = opts.losePromptAnswers ?? 0;
	const queuedIds: string[] = [];

	const requests: string[] = [];
	const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
		const method = req.method ?? 'GET';
		requests.push(`${method} ${(req.url ?? '/').split('?')[0]}`);
		if (cors === null && originRefused(req.headers)) return send(res, { status: 403, body: '' }, { Connection: 'close' }, false);
		if (method === 'OPTIONS') return send(res, { status: 200, body: '' }, extraHeaders, false);
		const url = new URL(req.url ?? '/', 'http://emulator');
		const route = router.match(method, url.pathname);
		if (!route) return send(res, text('404: Not Found', 404), extraHeaders, method === 'HEAD');
		let response: Response;
		try {
			response = await route.handler({ method, url, headers: req.headers, params: route.params, body: () => readBody(req, maxUpload) });
		} catch (e) {
			response = e instanceof BodyTooLarge ? text(e.message, 413) : text('500 Internal Server Error\n\nServer got itself in trouble', 500);
		}
		if (method === 'POST' && /^(\/api)?\/prompt$/.test(url.pathname) && response.status === 200) {
			queuedIds.push(String((JSON.parse(String(response.body)) as { prompt_id: unknown }).prompt_id));
			if (answersToLose > 0) {
				// Cut mid-answer (status and headers out, body not): the phone learns nothing. Cutting before any byte
				// would not do: Chromium then re-sends the POST by itself on a new connection (a reset reused socket).
				answersToLose--;
				const bytes = Buffer.from(String(response.body));
				res.writeHead(200, { ...response.headers, ...extraHeaders, 'Content-Length': String(bytes.length) });
				res.write(bytes.subarray(0, 1), () => res.destroy());
				return;
			}
		}
		return send(res, response, extraHeaders, method === 'HEAD');
	};

	const server = createServer((req, res) => {
		handle(req, res).catch(() => res.destroy());
	});
	const wss = new WebSocketServer({ noServer: true });
	server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
		const url = new URL(req.url ?? '/', 'http://emulator');
		if (url.pathname !== '/ws' && url.pathname !== '/api/ws') return socket.destroy();
		if (cors === null && originRefused(req.headers)) {
			socket.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
			return;
		}
		wss.handleUpgrade(req, socket, head, (ws) => hub.attach(ws, url.searchParams.get('clientId')));
	});

	let closed = false;
	const worker = (async () => {
		for (;;) {
			const task = await queue.get();
			if (!task) return;
			const finished = await executor.execute(task.item);
			// As recorded: the history entry and the `status` broadcast come before the final `executing null`.
			queue.taskDone(task.id, (item) => history.add(item[1], { prompt: item, ...finished }));
			const clientId = task.item[3].client_id;
			if (typeof clientId === 'string') hub.sendJson('executing', { node: null, prompt_id: task.item[1] }, clientId);
		}
	})();

	try {
		await new Promise<void>((resolve, reject) => {
			server.once('error', reject);
			server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
		});
	} catch (e) {
		queue.close();
		await worker;
		await files.close();
		throw e;
	}
	const { port } = server.address() as AddressInfo;
	const host = opts.host ?? '127.0.0.1';
	return {
		url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
		port,
		dataDir: files.root,
		profile: profile.name,
		requests: () => [...requests],
		dropSockets: () => hub.drop(null),
		history: () => history.list(),
		losePromptAnswers: (count) => (answersToLose = count),
		queuedPromptIds: () => [...queuedIds],
		close: async () => {
			if (closed) return;
			closed = true;
			executor.interrupt();
			queue.close();
			hub.drop(null);
			wss.close();
			const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
			// Requests in flight (a long /view download, a keep-alive socket) must not hold the shutdown.
			server.closeAllConnections();
			await stopped;
			await worker.catch(() => undefined);
			await files.close();
		}
	};
}
