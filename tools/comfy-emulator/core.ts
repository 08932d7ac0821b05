// The parts of one running emulator, shared by the HTTP routes, the WebSocket endpoint and the worker loop.
import type { ServerFeatures } from '../../src/lib/comfy/types';
import type { Catalog } from './catalog';
import type { Executor } from './executor';
import type { FileStore } from './files';
import type { HistoryStore } from './history';
import type { Profile } from './profile';
import type { PromptQueue } from './prompt-queue';
import type { WsHub } from './ws-hub';

export interface EmulatorCore {
	catalog: Catalog;
	files: FileStore;
	hub: WsHub;
	queue: PromptQueue;
	history: HistoryStore;
	executor: Executor;
	features: ServerFeatures;
	profile: Profile;
	/** The server's prompt counter: the default priority, +1 per POST /prompt without `number` (valid or not). */
	nextNumber: number;
}
