// Every run on the active server, for the live cards (home screen, Now running): through the relay with live
// previews and progress, who started and who stopped it; on the LAN what the queue and broadcasts tell (the server
// is busy with someone else's prompt). Results of other devices' runs seen through the relay go into this device's
// history. Stop/cancel act on any run by its prompt id. Components read the getters.
import { m } from '$lib/i18n';
import type { ComfyTransport } from '../../comfy/transport';
import { cancelPrompts } from '../../comfy/cancel';
import type { RelaySocket } from '../../relay/relay-socket';
import type { ResultRecord } from '../../storage';
import type { LivePreview } from '../run/job';
import { saveSharedResult } from './shared-results.service';
import { SharedRunTracker, type SharedRun } from './shared-tracker';
import { isActive, sharedRunView, type SharedRunView } from './shared-view';

/** Ended runs kept on the cards; their results are in History. */
const KEEP_ENDED = 10;

export interface SharedAttach {
	transport: ComfyTransport;
	serverId: string;
	/** The relay's id for this phone, to tell its own runs from others'. */
	deviceId: string | null;
	/** Is this prompt one this app queued (RunJobs follows it)? */
	isMine(promptId: string): boolean;
}

export class SharedRuns {
	#runs = $state<SharedRunView[]>([]);
	#preview = $state.raw<LivePreview | null>(null);
	#notices = $state<string[]>([]);
	#via = $state<'relay' | 'lan' | null>(null);
	#tracker: SharedRunTracker | null = null;
	#attached: SharedAttach | null = null;
	#off: (() => void)[] = [];
	/** Prompts seen queued or running in this session: only their ends are announced and saved. */
	#seenActive = new Set<string>();
	#ended = new Set<string>();
	#endListeners = new Set<(run: SharedRunView, result: ResultRecord | null) => void>();

	get runs(): readonly SharedRunView[] {
		return this.#runs;
	}
	get active(): SharedRunView[] {
		return this.#runs.filter(isActive);
	}
	/** The running prompt's latest preview (ComfyUI runs one prompt at a time). */
	get preview(): LivePreview | null {
		return this.#preview;
	}
	get notices(): readonly string[] {
		return this.#notices;
	}
	get via(): 'relay' | 'lan' | null {
		return this.#via;
	}
	/** On the LAN: the server runs or queues prompts that are not this app's. */
	get busyElsewhere(): SharedRunView[] {
		return this.active.filter((r) => !r.mine);
	}

	dismissNotice(index: number): void {
		this.#notices.splice(index, 1);
	}

	/** Each run of another device or client that ended after this phone saw it queued or running. */
	onEnd(fn: (run: SharedRunView, result: ResultRecord | null) => void): () => void {
		this.#endListeners.add(fn);
		return () => this.#endListeners.delete(fn);
	}

	attach(target: SharedAttach | null): void {
		if (target?.transport === this.#attached?.transport) return;
		this.detach();
		if (!target) return;
		this.#attached = target;
		this.#via = target.transport.kind === 'relay' ? 'relay' : 'lan';
		const tracker = new SharedRunTracker(target.transport.api);
		this.#tracker = tracker;
		this.#off.push(
			tracker.subscribe((run) => this.#changed(run)),
			target.transport.events.subscribe((event) => tracker.handle(event))
		);
		if (target.transport.kind === 'relay') {
			const socket = target.transport.events as RelaySocket;
			if (typeof socket.subscribeRuns === 'function') this.#off.push(socket.subscribeRuns((run) => tracker.noteRun(run)));
		}
		// What runs right now, once: after this, only the server's own announcements cause a read.
		if (target.transport.events.state.status === 'live') void tracker.syncQueue();
	}

	detach(): void {
		for (const off of this.#off) off();
		this.#off = [];
		this.#tracker = null;
		this.#attached = null;
		this.#runs = [];
		this.#preview = null;
		this.#via = null;
		this.#seenActive.clear();
		this.#ended.clear();
	}

	/** Stops a running prompt (interrupt by its id) or cancels a queued one (delete from the queue), whoever queued it. */
	async stop(promptId: string): Promise<void> {
		const api = this.#attached?.transport.api;
		const run = this.#runs.find((r) => r.promptId === promptId);
		if (!api || !run || !isActive(run)) return;
		// By id only (never a global interrupt): the job API where the server has it, else /queue delete or /interrupt.
		const running = run.status === 'running';
		let { failures } = await cancelPrompts(api, running ? promptId : null, running ? [] : [promptId]);
		if (!running && failures.length === 0) {
			// It may have started meanwhile: deleting a running prompt does nothing, so interrupt it too.
			const queue = await api.getQueue().catch(() => null);
			if (queue?.queue_running.some((item) => item[1] === promptId)) failures = (await cancelPrompts(api, promptId, [])).failures;
			else void this.#tracker?.syncQueue();
		}
		for (const failure of failures) this.#notices.push(m.shared_stop_failed({ title: run.title, error: failure.message }));
	}

	#changed(run: SharedRun): void {
		const target = this.#attached;
		if (!target) return;
		const view = sharedRunView(run, target.isMine(run.promptId) || (!!target.deviceId && run.owner?.deviceId === target.deviceId), target.deviceId);
		if (isActive(view)) this.#seenActive.add(view.promptId);
		const preview = run.state.preview;
		if (view.status === 'running' && preview && this.#preview?.at !== preview.at) {
			this.#preview = { promptId: view.promptId, image: preview.image, mime: preview.mime, at: preview.at };
		} else if (!isActive(view) && this.#preview?.promptId === view.promptId) this.#preview = null;
		this.#put(view);
		if (!isActive(view) && !this.#ended.has(view.promptId)) {
			this.#ended.add(view.promptId);
			if (this.#seenActive.has(view.promptId) && !view.mine) void this.#finished(run, view, target);
		}
	}

	async #finished(run: SharedRun, view: SharedRunView, target: SharedAttach): Promise<void> {
		let result: ResultRecord | null = null;
		// Through the relay every result reaches every phone's history; on the LAN, Server history lists them.
		if (view.status === 'done' && target.transport.kind === 'relay') {
			const outcome = await saveSharedResult({
				api: target.transport.api,
				promptId: run.promptId,
				serverId: target.serverId,
				outputs: run.state.outputs,
				prompt: run.prompt,
				workflow: run.workflow ?? undefined,
				title: run.title,
				device: view.startedBy
			});
			if (this.#attached !== target) return;
			if (outcome.ok) result = outcome.result;
			else this.#notices.push(m.shared_keep_failed({ title: view.title, error: outcome.error }));
			this.#notices.push(...outcome.skipped.map((s) => `A result file could not be fetched: ${s}`));
		}
		for (const fn of this.#endListeners) fn(view, result);
	}

	#put(view: SharedRunView): void {
		const i = this.#runs.findIndex((r) => r.promptId === view.promptId);
		if (i >= 0) this.#runs[i] = view;
		else this.#runs.push(view);
		const ended = this.#runs.filter((r) => !isActive(r));
		if (ended.length > KEEP_ENDED) {
			const drop = new Set(ended.slice(0, ended.length - KEEP_ENDED).map((r) => r.promptId));
			this.#runs = this.#runs.filter((r) => !drop.has(r.promptId));
			for (const id of drop) this.#tracker?.forget(id);
		}
	}
}

/** The app's one shared view of the active server. */
export const sharedRuns = new SharedRuns();
