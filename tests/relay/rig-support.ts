// What the rig tests ask the Node side (global-setup.ts): the requests each rig's recording proxy saw.

export interface RecordedRequest {
	method: string;
	path: string;
	/** Lower-case names. */
	headers: Record<string, string>;
	upgrade: boolean;
}

export type RigName = 'attic' | 'garage';

export async function rigRequests(rig: RigName): Promise<RecordedRequest[]> {
	return (await (await fetch(`http://127.0.0.1:18189/rig-requests?rig=${rig}`)).json()) as RecordedRequest[];
}

/** What reached the rig's upstream after `count` earlier requests. */
export async function rigRequestsSince(rig: RigName, count: number): Promise<RecordedRequest[]> {
	return (await rigRequests(rig)).slice(count);
}
