// What the app follows of an active pool's transport (issue 11): its rigs' live state for Settings and the pill,
// which rig holds a job for the Run screen's list, and its notices (jobs moved or lost) for the banner.
// Type-only imports of the transport: the pool code itself loads only when a pool is used (server-transport.ts).
import type { ComfyTransport } from '$lib/comfy/transport';
import type { PoolTransport, RigState } from './pool-transport';
import type { RigLive } from './rig-view';

export function isPoolTransport(transport: ComfyTransport | null): transport is PoolTransport {
	return transport?.kind === 'pool';
}

export function rigLiveOf(state: RigState): RigLive {
	return { id: state.id, status: state.status, queue: state.queue, gpu: state.gpu ?? null };
}

/** The name of the rig that holds a job, or null (not placed yet, or not a pool). */
export function rigNameOf(transport: ComfyTransport | null, promptId: string): string | null {
	if (!isPoolTransport(transport)) return null;
	const id = transport.rigOf(promptId);
	return id === null ? null : (transport.rigs().find((r) => r.id === id)?.name ?? null);
}

/**
 * Before sending on its own (the outbox): a pool routes each run by its rigs' node definitions, which a rig that has
 * just come live has not sent yet; without them the run would be refused ("not known which rig can run it")
 * instead of sent. Reads them from every rig that answers; other transports need nothing.
 */
export async function readyToRoute(transport: ComfyTransport): Promise<void> {
	if (isPoolTransport(transport)) await transport.api.getObjectInfo().catch(() => undefined);
}
