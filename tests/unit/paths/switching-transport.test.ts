import WebSocket from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../../tools/comfy-emulator/server';
import { createDirectTransport, type ComfyTransport, type ConnectionState, type EventStream } from '$lib/comfy/transport';
import type { ComfyApi } from '$lib/comfy/http';
import type { ComfyEvent } from '$lib/comfy/events';
import { JobTracker, type JobState } from '$lib/comfy/jobs';
import { followJobs } from '$lib/comfy/follow';
import { randomId } from '$lib/comfy/ids';
import type { ApiPrompt } from '$lib/comfy/types';
import { SwitchingTransport, type RouteTransport } from '$lib/app/paths/switching-transport';
import type { Probed } from '$lib/app/paths/probe';
import { DEFAULT_RULES } from '$lib/app/paths/choose';
import { tcpProxy, type TcpProxy } from '../../e2e/support/tcp-proxy';

class FakeEvents implements EventStream {
	connects = 0;
	closes = 0;
	state: ConnectionState = { status: 'idle', lastEventAt: null, attempt: 0 };
	#fns = new Set<(e: ComfyEvent) => void>();
	connect() {
		this.connects++;
		this.set('live');
	}
	close() {
		this.closes++;
		this.state = { ...this.state, status: 'idle' };
	}
	retryNow() {}
	subscribe(fn: (e: ComfyEvent) => void) {
		this.#fns.add(fn);
		return () => this.#fns.delete(fn);
	}
	set(status: ConnectionState['status']) {
		this.state = { ...this.state, status };
		for (const fn of this.#fns) fn({ type: 'connection', state: this.state });
	}
}

function fakeRoute(key: string, kind: 'lan' | 'relay'): RouteTransport & { events: FakeEvents } {
	const events = new FakeEvents();
	const api = { baseUrl: `http://${key}`, whoAmI: () => key } as unknown as ComfyApi;
	const transport: ComfyTransport = { kind: kind === 'lan' ? 'direct' : 'relay', api, events, clientId: `${key}-client` };
	return { key, route: { kind, baseUrl: `http://${key}` }, transport, events };
}

describe('SwitchingTransport (fake routes)', () => {
	function setup(answers: Record<string, number | null>) {
		let now = 1_000_000;
		const lan = fakeRoute('lan', 'lan');
		const relay = fakeRoute('relay', 'relay');
		const probe = async (rt: RouteTransport): Promise<Probed> => {
			const ms = answers[rt.key];
			return { key: rt.key, kind: rt.route.kind, ok: ms !== null, latencyMs: ms };
		};
		const sut = new SwitchingTransport({ routes: [lan, relay], probe, now: () => now, online: () => true });
		const seen: string[] = [];
		sut.onRouteChange((rt) => seen.push(rt.key));
		const states: string[] = [];
		sut.events.subscribe((e) => {
			if (e.type === 'connection') states.push(e.state.status);
		});
		return { sut, lan, relay, seen, states, advance: (ms: number) => (now += ms) };
	}

	it('runs through the relay while the LAN does not answer; the api and client id are the relay’s', async () => {
		const { sut, lan, relay, seen } = setup({ lan: null, relay: 80 });
		sut.events.connect();
		await sut.trigger('start');
		expect(seen).toEqual(['relay']);
		expect(sut.kind).toBe('relay');
		expect(sut.clientId).toBe('relay-client');
		expect((sut.api as unknown as { whoAmI(): string }).whoAmI()).toBe('relay');
		expect(sut.api.baseUrl).toBe('http://relay');
		expect([lan.events.connects, relay.events.connects]).toEqual([0, 1]);
		expect(sut.events.state.status).toBe('live');
		sut.events.close();
	});

	it('moves to the LAN when it comes up and the network changes, with a gap the tracker sees', async () => {
		const answers: Record<string, number | null> = { lan: null, relay: 80 };
		const { sut, lan, relay, seen, states, advance } = setup(answers);
		sut.events.connect();
		await sut.trigger('start');
		answers.lan = 4;
		advance(DEFAULT_RULES.minDwellMs);
		await sut.trigger('online');
		expect(seen).toEqual(['relay', 'lan']);
		expect(relay.events.closes).toBe(1);
		expect(lan.events.connects).toBe(1);
		expect(sut.api.baseUrl).toBe('http://lan');
		// live on the relay, then the gap, then live on the LAN
		expect(states.slice(-2)).toEqual(['connecting', 'live']);
		expect(sut.lastDecision?.choice.reason).toBe('faster');
		sut.events.close();
	});

	it('goes back to the relay when the LAN socket drops and the LAN no longer answers', async () => {
		const answers: Record<string, number | null> = { lan: 3, relay: 80 };
		const { sut, lan, seen } = setup(answers);
		sut.events.connect();
		await sut.trigger('start');
		expect(seen).toEqual(['lan']);
		answers.lan = null;
		lan.events.set('reconnecting');
		await sut.trigger('timer'); // waits for the round the lost socket started
		expect(seen).toEqual(['lan', 'relay']);
		expect(sut.lastDecision?.trigger).toBe('stream-lost');
		expect(sut.lastDecision?.choice.reason).toBe('current-failed');
		sut.events.close();
	});

	it('stays put when nothing answers, on the first route, whose socket keeps retrying', async () => {
		const { sut, lan, seen } = setup({ lan: null, relay: null });
		sut.events.connect();
		await sut.trigger('start');
		expect(seen).toEqual(['lan']);
		expect(lan.events.connects).toBe(1);
		expect(sut.lastDecision?.choice.reason).toBe('none-answered');
		sut.events.close();
	});

	it('does nothing after close', async () => {
		const { sut, seen } = setup({ lan: 3, relay: 80 });
		sut.events.connect();
		await sut.trigger('start');
		sut.events.close();
		await sut.trigger('online');
		expect(seen).toEqual(['lan']);
	});
});

function slowNoise(steps: number, seed: number): ApiPrompt {
	return {
		'1': { class_type: 'SlowNoiseImage', inputs: { steps, seed, width: 64, height: 64, text: 'a cat', delay_ms: 0, preview_format: 'JPEG' } },
		'2': { class_type: 'SaveImage', inputs: { images: ['1', 0], filename_prefix: 'cp' } }
	};
}

async function until(check: () => boolean, ms = 15_000): Promise<void> {
	const end = Date.now() + ms;
	while (!check()) {
		if (Date.now() > end) throw new Error('timed out');
		await new Promise((r) => setTimeout(r, 20));
	}
}

describe('a run survives the switch (real emulator, a LAN address that goes away)', () => {
	let emulator: Emulator | null = null;
	let proxy: TcpProxy | null = null;
	let sut: SwitchingTransport | null = null;
	afterEach(async () => {
		sut?.events.close();
		await proxy?.down();
		await emulator?.close();
	});

	it('posted over the LAN, followed through the other route after the LAN is cut: the result still arrives', async () => {
		emulator = await startEmulator({ stepMs: 100 });
		const port = Number(new URL(emulator.url).port);
		proxy = await tcpProxy({ host: '127.0.0.1', port });
		await proxy.up();
		const ws = WebSocket as unknown as typeof globalThis.WebSocket;
		// The LAN: this tab's client id. The "relay": the same ComfyUI under another client id, as the relay's
		// shared id is, so it hears only the server's broadcasts about a run the LAN posted.
		const lan: RouteTransport = { key: 'lan', route: { kind: 'lan', baseUrl: `http://127.0.0.1:${proxy.port}` }, transport: createDirectTransport({ baseUrl: `http://127.0.0.1:${proxy.port}`, clientId: 'tab-1', WebSocketImpl: ws }) };
		const relayTransport = createDirectTransport({ baseUrl: emulator.url, clientId: 'relay-shared', WebSocketImpl: ws });
		const relay: RouteTransport = { key: 'relay', route: { kind: 'relay', baseUrl: emulator.url }, transport: { ...relayTransport, kind: 'relay' } };
		sut = new SwitchingTransport({ routes: [lan, relay], online: () => true });
		const switchedAt: number[] = [];
		sut.onRouteChange((rt) => rt.key === 'relay' && switchedAt.push(Date.now()));
		const tracker = new JobTracker({ api: sut.api });
		const states: JobState[] = [];
		tracker.subscribe((s) => states.push(s));
		const stop = followJobs(sut.events, tracker);
		sut.events.connect();
		await until(() => sut!.route?.key === 'lan' && sut!.events.state.status === 'live');

		const promptId = randomId();
		tracker.track(promptId);
		await sut.api.queuePrompt({ prompt: slowNoise(30, Math.floor(Math.random() * 1e9)), clientId: sut.clientId, promptId });
		await until(() => states.some((s) => s.step !== undefined && s.step.value >= 2));
		const cutAt = Date.now();
		await proxy.down();
		await until(() => sut!.route?.key === 'relay');
		const switchMs = switchedAt[0] - cutAt;
		await until(() => states.at(-1)?.status === 'succeeded', 20_000);
		stop();
		const last = states.at(-1)!;
		expect(last.promptId).toBe(promptId);
		expect(Object.keys(last.outputs)).toContain('2');
		expect(emulator.queuedPromptIds()).toEqual([promptId]);
		expect(switchMs).toBeLessThan(3000);
		console.log(`path switch after the LAN was cut: ${switchMs} ms; probes: ${sut.lastDecision?.probes.map((p) => `${p.key} ${p.ok ? `${p.latencyMs?.toFixed(1)} ms` : 'failed'}`).join(', ')}`);
	}, 30_000);
});
