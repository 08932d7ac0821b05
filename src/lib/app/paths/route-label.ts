// What the user sees for a way in to a server ("home Wi-Fi", "relay", "Tailscale"): the label they gave it, else
// words for its kind in the active language.
import { m } from '$lib/i18n';
import { routeWay, type ServerRecordKind } from '$lib/storage';

export function routeLabel(route: { kind: ServerRecordKind; baseUrl: string; label?: string }): string {
	if (route.label) return route.label;
	switch (routeWay(route)) {
		case 'pool':
			return m.route_pool();
		case 'relay':
			return m.route_relay();
		case 'tailscale':
			return m.route_tailscale();
		case 'home-wifi':
			return m.route_home_wifi();
	}
}
