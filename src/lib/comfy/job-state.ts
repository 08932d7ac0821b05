// The public shape of a tracked job, as the JobTracker reports it to subscribers, and what tracking needs to know.
import type { FinalStatus, JobError } from './job-history';
import { samplerNodeIds } from './progress';
import type { ApiPrompt, NodeOutput } from './types';

export type JobStatus = 'queued' | 'running' | FinalStatus;

export interface JobPreview {
	mime: string;
	image: Uint8Array;
	nodeId?: string;
	at: number;
}

export interface JobState {
	promptId: string;
	status: JobStatus;
	/** 1-based place among pending prompts, when known. */
	queuePosition?: number;
	node?: { id: string; title?: string };
	step?: { value: number; max: number };
	/** 0..1, weighted towards multi-step nodes; reaches 1 only on success. */
	progress: number;
	/** Only the latest preview is kept, so memory stays flat over long runs. */
	preview?: JobPreview;
	outputs: Record<string, NodeOutput>;
	cachedNodes: string[];
	error?: JobError;
	startedAt?: number;
	endedAt?: number;
}

export interface TrackOptions {
	/** The prompt being queued: supplies node ids, titles (`_meta.title`) and sampler ids unless given below. */
	prompt?: ApiPrompt;
	/** Nodes of the prompt (for progress weighting); defaults to the keys of `nodeTitles`. */
	nodeIds?: string[];
	/** Node id → title shown while that node runs. */
	nodeTitles?: Record<string, string>;
	/** Nodes known to be samplers: weighted heavily from the start. */
	samplerNodeIds?: string[];
}

/** Fills node ids, titles and samplers from `prompt`; options given explicitly win. */
export function resolveTrackOptions(options: TrackOptions): TrackOptions {
	if (!options.prompt) return options;
	const nodeTitles: Record<string, string> = {};
	for (const [id, node] of Object.entries(options.prompt)) nodeTitles[id] = node._meta?.title ?? node.class_type;
	const derived = { nodeIds: Object.keys(options.prompt), nodeTitles, samplerNodeIds: samplerNodeIds(options.prompt) };
	const given = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
	return { ...derived, ...given };
}
