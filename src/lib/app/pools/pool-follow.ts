// What the app follows of an active pool's transport (issue 11): its rigs' live state for Settings and the pill,
// which rig holds a job for the Run screen's list, and its notices (jobs moved or lost) for the banner.
import type { ComfyTransport } from '$lib/comfy/transport';
import type { RigLive } from './rig-view';

/** The pool transport's surface the app uses beyond ComfyTransport (pools/pool-transport.ts implements it). */
export interface PoolSurface {
	rigs(): readonly PoolRigState[];
	onRigsChange(fn: (rigs: PoolRigState[]) => void): () => void;
	rigOf(promptId: string): string | null;
	setPaused(rigId: string, paused: boolean): void;
	onNotice(fn: (notice: { text: string }) => void): () => void;
}

/** The fields of a rig's state that the app reads. */
export interface PoolRigState {
	id: string;
	name: string;
	status: RigLive['status'];
	queue: number;
	gpu?: string;
}

export function isPoolTransport(transport: ComfyTransport | null): transport is ComfyTransport & PoolSurface {
	return (transport as { kind?: string } | null)?.kind === 'pool' && typeof (transport as Partial<PoolSurface>).rigOf === 'function';
}

export function rigLiveOf(state: PoolRigState): RigLive {
	return { id: state.id, status: state.status, queue: state.queue, gpu: state.gpu ?? null };
}

/** The name of the rig that holds a job, or null (not placed yet, or not a pool). */
export function rigNameOf(transport: ComfyTransport | null, promptId: string): string | null {
	if (!isPoolTransport(transport)) return null;
	const id = transport.rigOf(promptId);
	return id === null ? null : (transport.rigs().find((r) => r.id === id)?.name ?? null);
}
