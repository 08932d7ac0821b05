// A result's file kind and a server result's status in words of the active language (tiles, labels).
import { m } from '$lib/i18n';

export function kindLabel(kind: string | undefined): string {
	switch (kind) {
		case 'image':
			return m.kind_image();
		case 'video':
			return m.kind_video();
		case 'audio':
			return m.kind_audio();
		case 'text':
			return m.kind_text();
		case undefined:
			return m.kind_empty();
		default:
			return kind;
	}
}

export function statusLabel(status: 'done' | 'failed' | 'stopped'): string {
	return status === 'done' ? m.status_done() : status === 'failed' ? m.status_failed() : m.status_stopped();
}
