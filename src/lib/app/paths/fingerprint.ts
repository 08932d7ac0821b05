// Is this the same ComfyUI? Two ways in (a LAN address, a relay) are recognised as one server by what
// /system_stats says of the machine — versions, OS, total RAM, its devices and their total VRAM — never by the
// address, and never by what changes from one second to the next (free RAM/VRAM). Pure. It is a strong hint, not a
// proof (two identical machines would match), so the app offers to attach and the user confirms.
import type { SystemStats } from '$lib/comfy/types';

export function serverFingerprint(stats: SystemStats): string {
	const s = stats.system;
	const devices = stats.devices.map((d) => [d.name, d.type, d.index, d.vram_total].join('|')).sort();
	const parts = [s.os, s.comfyui_version, s.python_version, s.pytorch_version, String(s.embedded_python), String(s.ram_total), (s.argv ?? []).join(' '), ...devices];
	return fnv1a(parts.join('\n'));
}

/** 64-bit FNV-1a as hex (two 32-bit halves): short, stable, enough to compare a handful of servers. */
function fnv1a(text: string): string {
	let h1 = 0x811c9dc5;
	let h2 = 0x01000193 ^ text.length;
	for (let i = 0; i < text.length; i++) {
		const c = text.charCodeAt(i);
		h1 = Math.imul(h1 ^ c, 0x01000193) >>> 0;
		h2 = Math.imul(h2 ^ c, 0x01000193 ^ 0x5bd1e995) >>> 0;
	}
	return h1.toString(16).padStart(8, '0') + h2.toString(16).padStart(8, '0');
}
