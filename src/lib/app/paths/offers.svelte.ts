// The open "same ComfyUI — attach?" offers, for the screens. Checked after pairing a relay and after testing a LAN
// address; each offer is accepted or dismissed by the user, never applied silently.
import { m } from '$lib/i18n';
import type { ServerRecord, ServerRoute } from '$lib/storage';
import { session } from '../session.svelte';
import { acceptAttachOffer, findAttachOffers, type AttachOffer } from './attach.service';

class AttachOffers {
	list = $state.raw<AttachOffer[]>([]);
	error = $state<string | null>(null);

	/** Looks for saved servers of the other kind with the same ComfyUI as `route`; returns how many were found. */
	async check(route: ServerRoute, fromServerId?: string, servers: readonly ServerRecord[] = session.servers): Promise<number> {
		const found = await findAttachOffers(route, servers, fromServerId);
		this.list = [...this.list.filter((o) => !found.some((f) => f.target.id === o.target.id && f.route.baseUrl === o.route.baseUrl)), ...found];
		return found.length;
	}

	async accept(offer: AttachOffer): Promise<void> {
		this.error = null;
		try {
			const updated = await acceptAttachOffer(offer);
			this.dismiss(offer);
			await session.reloadServers(updated.id);
			// The active transport was built from the old record: rebuild it with the new way in.
			if (session.activeServerId === updated.id) await session.connect();
		} catch (err) {
			this.error = m.attach_failed({ error: err instanceof Error ? err.message : String(err) });
		}
	}

	dismiss(offer: AttachOffer): void {
		this.list = this.list.filter((o) => o !== offer);
	}
}

export const attachOffers = new AttachOffers();
