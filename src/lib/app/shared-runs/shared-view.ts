// One run on the server as the live card shows it: pure mapping from the shared tracker's state. Also the words
// for who started and who stopped it, so the home card and the Now running view say the same.
import { m } from '$lib/i18n';
import { describeFailure } from '../run/job';
import type { SharedRun } from './shared-tracker';

export type SharedStatus = 'queued' | 'running' | 'done' | 'failed' | 'stopped' | 'cancelled';

export interface SharedRunView {
	promptId: string;
	status: SharedStatus;
	title: string;
	/** "this phone", the pairing name of the device that queued it, or null when it was queued outside the relay. */
	startedBy: string | null;
	mine: boolean;
	queuePosition: number | null;
	node: string | null;
	step: { value: number; max: number } | null;
	progress: number;
	startedAt: number | null;
	endedAt: number | null;
	/** The pairing name of the device that stopped or cancelled it ("this phone" for this one). */
	stoppedBy: string | null;
	error: string | null;
}

/** `startedBy` / `stoppedBy` of this phone's own runs: a marker, shown in words by `deviceText`. */
export const THIS_PHONE = 'this phone';

export function sharedRunView(run: SharedRun, mine: boolean, myDeviceId: string | null): SharedRunView {
	const { state, owner } = run;
	const stopper = owner?.stoppedBy;
	let status: SharedStatus;
	switch (state.status) {
		case 'succeeded':
			status = 'done';
			break;
		case 'interrupted':
			status = 'stopped';
			break;
		case 'failed':
			// Deleted from the queue before it started: neither queue nor history knows it any more.
			status = state.startedAt === undefined && (stopper || !state.error?.nodeType) ? 'cancelled' : 'failed';
			break;
		default:
			status = state.status;
	}
	const name = (deviceId: string | undefined, device: string | undefined) => (deviceId && deviceId === myDeviceId ? THIS_PHONE : (device ?? null));
	return {
		promptId: run.promptId,
		status,
		title: run.title ?? m.shared_untitled(),
		startedBy: mine ? THIS_PHONE : name(owner?.deviceId, owner?.device),
		mine,
		queuePosition: state.queuePosition ?? null,
		node: state.node ? (state.node.title ?? state.node.id) : null,
		step: state.step ? { ...state.step } : null,
		progress: state.progress,
		startedAt: state.startedAt ?? null,
		endedAt: state.endedAt ?? null,
		stoppedBy: stopper ? name(stopper.deviceId, stopper.device) : null,
		error: status === 'failed' ? describeFailure(state) : null
	};
}

export function isActive(view: Pick<SharedRunView, 'status'>): boolean {
	return view.status === 'queued' || view.status === 'running';
}

/** "started by Anna's phone" / "started on this server" for prompts queued elsewhere. */
export function startedByText(view: Pick<SharedRunView, 'startedBy'>): string {
	return view.startedBy ? m.shared_started_by({ device: deviceText(view.startedBy) }) : m.shared_started_outside();
}

/** A device's pairing name, or "this phone" in the active language. */
export function deviceText(name: string): string {
	return name === THIS_PHONE ? m.shared_this_phone() : name;
}

/** "1:05" from milliseconds. */
export function elapsedText(ms: number): string {
	const s = Math.max(0, Math.floor(ms / 1000));
	return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}
