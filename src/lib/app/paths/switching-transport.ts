// A ComfyTransport over several ways in to one server (issue 12). It looks like one transport to the app — one
// `api`, one event stream, which never change identity — and underneath uses the route chosen by choose.ts, probing
// again when told (network change, failed request, lost socket, timer). A switch closes the old route's socket and
// opens the new one; the stream reports a gap in between, so the JobTracker reconciles every followed run with the
// new route (a run posted over the LAN and followed through the relay gets no previews there, but its end still
// arrives: from the `status` broadcasts and /history, or /api/jobs/{id}).
import type { ComfyApi } from '$lib/comfy/http';
import type { ComfyEvent } from '$lib/comfy/events';
import type { ComfyTransport, ConnectionState, EventStream } from '$lib/comfy/transport';
import type { ServerRoute } from '$lib/storage/types';
import { chooseRoute, DEFAULT_RULES, earlyChoice, nextRecheck, shouldRedecide, type Choice, type ChoiceRules, type Trigger } from './choose';
import { probeRoute, type Probed } from './probe';

export interface RouteTransport {
	key: string;
	route: ServerRoute;
	transport: ComfyTransport;
}

export interface SwitchingOptions {
	/** Direct routes first: that order breaks ties and decides the early choice while connecting. */
	routes: RouteTransport[];
	probe?: (route: RouteTransport) => Promise<Probed>;
	rules?: ChoiceRules;
	now?: () => number;
	online?: () => boolean;
	/** Started on connect, stopped on close: feeds the network's triggers (see wiring.ts). */
	watch?: (transport: SwitchingTransport) => () => void;
}

export interface RouteDecision {
	trigger: Trigger;
	choice: Choice;
	probes: Probed[];
	/** ms from the trigger to the choice. */
	tookMs: number;
}

type Listener = (e: ComfyEvent) => void;

export class SwitchingTransport implements ComfyTransport {
	readonly api: ComfyApi;
	readonly events: EventStream;
	readonly #routes: RouteTransport[];
	readonly #opts: SwitchingOptions;
	readonly #listeners = new Set<Listener>();
	readonly #routeListeners = new Set<(route: RouteTransport) => void>();
	#active: RouteTransport | null = null;
	#since = 0;
	#off: (() => void) | null = null;
	#unwatch: (() => void) | null = null;
	#wanted = false;
	#probing: Promise<void> | null = null;
	#lastProbeAt: number | null = null;
	#timer: ReturnType<typeof setTimeout> | null = null;
	#ownState: ConnectionState = { status: 'idle', lastEventAt: null, attempt: 0 };
	#last: RouteDecision | null = null;

	constructor(opts: SwitchingOptions) {
		if (opts.routes.length === 0) throw new Error('A server needs at least one way in.');
		this.#opts = opts;
		this.#routes = opts.routes;
		this.api = delegatingApi(() => this.#current().transport.api);
		this.events = this.#makeEvents();
	}

	get kind(): ComfyTransport['kind'] {
		return this.#current().transport.kind;
	}
	get clientId(): string {
		return this.#current().transport.clientId;
	}
	/** The route in use; null until the first probe answered. */
	get route(): RouteTransport | null {
		return this.#active;
	}
	get routes(): readonly RouteTransport[] {
		return this.#routes;
	}
	/** The latest round of probes and what it decided (Settings shows it; tests measure it). */
	get lastDecision(): RouteDecision | null {
		return this.#last;
	}
	/** Whether the route in use is a relay serving the ComfyUI emulator (`npm run demo`). */
	get simulated(): boolean {
		const events = this.#active?.transport.events as { relay?: { simulated?: boolean } } | undefined;
		return events?.relay?.simulated ?? false;
	}

	onRouteChange(fn: (route: RouteTransport) => void): () => void {
		this.#routeListeners.add(fn);
		return () => this.#routeListeners.delete(fn);
	}

	/** Something happened that may change the best route. `routeKey`: the route a request or socket failed on. */
	trigger(trigger: Trigger, routeKey?: string): Promise<void> {
		if (!this.#wanted) return Promise.resolve();
		const now = this.#now();
		const onCurrentRoute = routeKey === undefined || routeKey === this.#active?.key;
		if (this.#probing || !shouldRedecide(trigger, { online: this.#online(), lastProbeAt: this.#lastProbeAt, now, onCurrentRoute })) {
			return this.#probing ?? Promise.resolve();
		}
		this.#probing = this.#decide(trigger).finally(() => (this.#probing = null));
		return this.#probing;
	}

	async #decide(trigger: Trigger): Promise<void> {
		const started = this.#now();
		this.#lastProbeAt = started;
		const probe = this.#opts.probe ?? ((rt: RouteTransport) => probeRoute({ key: rt.key, kind: rt.route.kind, systemStats: () => rt.transport.api.systemStats() }));
		const settled = new Map<string, Probed>();
		const all = this.#routes.map((rt) =>
			probe(rt).then((result) => {
				settled.set(rt.key, result);
				// Connecting: take a route as soon as every route listed before it has failed.
				if (!this.#active && this.#wanted) {
					const early = earlyChoice(this.#routes, settled);
					if (early) this.#use(this.#byKey(early));
				}
			})
		);
		await Promise.all(all);
		if (!this.#wanted) return;
		const probes = this.#routes.map((rt) => settled.get(rt.key)!);
		const current = this.#active ? { key: this.#active.key, since: this.#since } : null;
		const choice = chooseRoute(probes, current, this.#now(), this.#opts.rules ?? DEFAULT_RULES);
		this.#last = { trigger, choice, probes, tookMs: this.#now() - started };
		// Nothing answered: the primary route's own socket keeps retrying and says why it cannot connect.
		this.#use(this.#byKey(choice.key ?? this.#routes[0].key));
		this.#schedule(choice.recheckAt ?? (choice.reason === 'none-answered' ? this.#now() + 15_000 : nextRecheck(this.#active!.route, this.#routes.some((r) => r.route.kind !== 'relay'), this.#now())));
	}

	#use(rt: RouteTransport): void {
		if (this.#active === rt) return;
		const previous = this.#active;
		this.#off?.();
		previous?.transport.events.close();
		this.#active = rt;
		this.#since = this.#now();
		// The gap between the two sockets: the tracker reconciles when the new one is live.
		this.#emit({ type: 'connection', state: { status: 'connecting', lastEventAt: previous?.transport.events.state.lastEventAt ?? null, attempt: 0 } });
		let wasLive = false;
		this.#off = rt.transport.events.subscribe((event) => {
			this.#emit(event);
			if (event.type !== 'connection') return;
			if (event.state.status === 'live') wasLive = true;
			else if (wasLive && (event.state.status === 'reconnecting' || event.state.status === 'offline')) {
				wasLive = false;
				void this.trigger('stream-lost', rt.key);
			}
		});
		for (const fn of this.#routeListeners) fn(rt);
		if (this.#wanted) rt.transport.events.connect();
	}

	#schedule(at: number | null): void {
		if (this.#timer) clearTimeout(this.#timer);
		this.#timer = null;
		if (at === null || !this.#wanted) return;
		this.#timer = setTimeout(() => void this.trigger('timer'), Math.max(0, at - this.#now()));
	}

	#makeEvents(): EventStream {
		const self = this;
		return {
			connect() {
				if (self.#wanted) return;
				self.#wanted = true;
				self.#unwatch = self.#opts.watch?.(self) ?? null;
				if (self.#active) {
					self.#active.transport.events.connect();
					return;
				}
				self.#ownState = { status: 'connecting', lastEventAt: null, attempt: 0 };
				self.#emit({ type: 'connection', state: self.#ownState });
				void self.trigger('start');
			},
			close() {
				self.#wanted = false;
				self.#unwatch?.();
				self.#unwatch = null;
				self.#schedule(null);
				self.#off?.();
				self.#off = null;
				self.#active?.transport.events.close();
			},
			subscribe(fn) {
				self.#listeners.add(fn);
				return () => self.#listeners.delete(fn);
			},
			get state() {
				return self.#active?.transport.events.state ?? self.#ownState;
			},
			retryNow() {
				self.#active?.transport.events.retryNow();
				void self.trigger('network-change');
			},
			// The relay's "who runs what" (RelaySocket.subscribeRuns), from the route in use when asked; the shared
			// view asks again after each switch (shared-wiring.svelte.ts).
			subscribeRuns(fn: (run: unknown) => void): () => void {
				const socket = self.#active?.transport.events as { subscribeRuns?: (f: (run: unknown) => void) => () => void } | undefined;
				return socket?.subscribeRuns?.(fn) ?? (() => undefined);
			}
		} as EventStream;
	}

	#emit(event: ComfyEvent): void {
		for (const fn of this.#listeners) {
			try {
				fn(event);
			} catch {
				// A listener's failure is its own.
			}
		}
	}

	#current(): RouteTransport {
		return this.#active ?? this.#routes[0];
	}
	#byKey(key: string): RouteTransport {
		return this.#routes.find((r) => r.key === key) ?? this.#routes[0];
	}
	#now(): number {
		return (this.#opts.now ?? Date.now)();
	}
	#online(): boolean {
		return this.#opts.online?.() ?? (typeof navigator === 'undefined' ? true : navigator.onLine);
	}
}

/** One ComfyApi for the app whose every call goes to the route in use at the time of the call. */
function delegatingApi(current: () => ComfyApi): ComfyApi {
	return new Proxy({} as ComfyApi, {
		get(_target, prop) {
			const api = current();
			const value = Reflect.get(api, prop, api) as unknown;
			return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(api) : value;
		}
	});
}
